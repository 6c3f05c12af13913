"""One answer to "does this message signal risk?": the patterns first, the scorer beside them.

* A pattern matches: :attr:`Verdict.ALARM`, with the pattern line as the reason.
* No pattern, the scorer is sure enough: :attr:`Verdict.ALARM`, with the words that weighed
  most as the reason.
* No pattern, the scorer is sure but the message has fewer than three words: the gentle
  question only.
* No pattern, the scorer is unsure: :attr:`Verdict.ASK`: the bot asks gently whether the
  participant is OK and wants to talk to someone; it neither stays silent nor raises the
  full alarm.
* Otherwise :attr:`Verdict.NONE`.
"""

from __future__ import annotations

from dataclasses import dataclass

from wzt_bot.domain.safety.crisis import CrisisDetector, RiskKind, RiskMatch, normalise
from wzt_bot.domain.safety.scorer import RiskScorer, ScoreResult, Verdict

__all__ = ["Assessment", "CrisisCheck", "Verdict"]


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: Verdict
    kind: RiskKind | None = None
    match: RiskMatch | None = None  # the pattern that matched, if one did
    score: ScoreResult | None = None  # the scorer's view, when no pattern matched

    @property
    def reason(self) -> str:
        """Why, for the team (never for the participant): the rule, or the heaviest words."""
        if self.match is not None:
            return f"regel ({self.match.language}): {self.match.pattern}"
        if self.score is not None:
            words = ", ".join(f"«{word}»" for word in self.score.words) or "-"
            return f"lerend model ({self.score.probability:.2f}): {words}"
        return ""


NO_RISK = Assessment(Verdict.NONE)
#: Below this many words the scorer alone never raises the alarm, only the gentle question: a
#: word or two give it too few features to be sure ("rights" shares n-grams with "tonight").
MIN_WORDS_FOR_ALARM = 3


class CrisisCheck:
    """The patterns and, when given, the scorer. Immutable; share one instance."""

    __slots__ = ("detector", "scorer")

    def __init__(self, detector: CrisisDetector, scorer: RiskScorer | None = None) -> None:
        self.detector = detector
        self.scorer = scorer

    @classmethod
    def load(cls) -> CrisisCheck:
        return cls(CrisisDetector.load(), RiskScorer.load())

    def assess(self, text: str) -> Assessment:
        normalised = normalise(text)
        if not normalised:
            return NO_RISK
        match = self.detector.detect_normalised(normalised)
        if match is not None:
            return Assessment(Verdict.ALARM, match.kind, match=match)
        if self.scorer is None or text.lstrip().startswith("/"):
            return NO_RISK  # a bot command ("/rights") is not something the person wrote
        score = self.scorer.score_normalised(normalised)
        if score.verdict is Verdict.NONE:
            return NO_RISK
        verdict = score.verdict
        if verdict is Verdict.ALARM and len(normalised.split()) < MIN_WORDS_FOR_ALARM:
            verdict = Verdict.ASK  # one or two words are too little for the scorer alone
        return Assessment(verdict, score.kind, score=score)

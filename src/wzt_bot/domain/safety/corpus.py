"""The crisis evaluation corpus: labelled chat messages in the bot's languages.

``corpus/crisis/<split>/<language>.tsv``, one message a line: ``label<TAB>kind<TAB>text``,
with label ``risk`` or ``none``. The ``test`` split is frozen (written before any tuning, by
a hand that never saw the patterns) and only measures; ``dev`` is for tuning and training.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from wzt_bot.domain.safety.crisis import RiskKind

__all__ = ["KINDS", "NEAR_MISS_KINDS", "RISK_KINDS", "Example", "load_split", "split_digest"]

#: corpus kind -> the detector's kind
RISK_KINDS: dict[str, RiskKind] = {
    "suicide_direct": RiskKind.SUICIDE,
    "suicide_indirect": RiskKind.SUICIDE,
    "suicide_plan": RiskKind.SUICIDE,
    "selfharm_now": RiskKind.SUICIDE,
    "selfharm_past": RiskKind.SUICIDE,
    "violence_from_others": RiskKind.VIOLENCE,
    "violence_to_others": RiskKind.VIOLENCE,
    "acute_crisis": RiskKind.CRISIS,
}
NEAR_MISS_KINDS = frozenset(
    {"figure_of_speech", "grief", "medical", "everyday_complaint", "neutral"}
)
KINDS = frozenset(RISK_KINDS) | NEAR_MISS_KINDS


@dataclass(frozen=True, slots=True)
class Example:
    language: str
    line: int
    risk: bool
    kind: str  # the corpus kind (finer than RiskKind)
    text: str

    @property
    def key(self) -> str:
        return f"{self.language}:{self.line}"

    @property
    def risk_kind(self) -> RiskKind | None:
        return RISK_KINDS.get(self.kind) if self.risk else None


def load_file(path: Path) -> list[Example]:
    examples: list[Example] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        fields = raw.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{path.name}:{number}: expected label<TAB>kind<TAB>text")
        label, kind, text = fields
        if label not in {"risk", "none"}:
            raise ValueError(f"{path.name}:{number}: unknown label {label!r}")
        expected = RISK_KINDS if label == "risk" else NEAR_MISS_KINDS
        if kind not in expected:
            raise ValueError(f"{path.name}:{number}: kind {kind!r} does not go with {label}")
        examples.append(Example(path.stem, number, label == "risk", kind, text.strip()))
    return examples


def split_digest(folder: Path) -> str:
    """One SHA-256 over a split's files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.tsv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_split(folder: Path) -> list[Example]:
    """Every example of one split, language by language in name order."""
    return [example for path in sorted(folder.glob("*.tsv")) for example in load_file(path)]

"""The feedback surveys as data: questions, answer options and versions.

Every text is a Dutch msgid (marked with `N_` so Babel extracts it; the bot translates it at
display time), so a survey is translated into every shipped language like the rest of the
bot. A question's id and its option codes are what the anonymous tables store: they never
change meaning within a version. Changing a question (its words, options or order) means a
new version of that survey; reports group by (survey, version) so old answers stay readable.

Sources. HIVA recommends a participant feedback instrument on four dimensions: the coaching
received, the aftercare, the outcomes as the participant sees them, and a realistic view of
work (hiva.md §4.4, R29); the items are adapted from its question bank (R30) and NOOZO's two
dimensions: the support, and the trajectory and how it ended (practice.md §2.4, §5.1). The
answers are never a target for a person or a network (hiva.md R34): the intro says so.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from wzt_bot.domain.models import SurveyKind


def N_(message: str) -> str:  # noqa: N802 - gettext's "mark now, translate at display time"
    return message


class Dimension(enum.StrEnum):
    """What a question is about (for reports; HIVA's four and NOOZO's two)."""

    COACHING = "coaching"  # HIVA 1: the coaching received
    AFTERCARE = "aftercare"  # HIVA 2: the aftercare (nazorg)
    OUTCOMES = "outcomes"  # HIVA 3: the outcomes as the participant sees them
    WORK_VIEW = "work_view"  # HIVA 4: a realistic view of work
    SUPPORT = "support"  # NOOZO: the support offered
    TRAJECTORY = "trajectory"  # NOOZO: the trajectory and how it ended
    INFORMATION = "information"  # knowing the plan, the complaints procedure, the next step


@dataclass(frozen=True, slots=True)
class Option:
    code: str  # stored; stable within a survey version
    label: str  # Dutch msgid (the button)


@dataclass(frozen=True, slots=True)
class Question:
    id: str  # stored; stable within a survey version
    text: str  # Dutch msgid, one question
    options: tuple[Option, ...]  # answered with buttons; empty for an open question
    dimension: Dimension
    #: an optional follow-up for the participant's own words ("Wil je iets vertellen?");
    #: for an open question (no options) this is None and `text` itself asks for words
    follow_up: str | None = None

    @property
    def open(self) -> bool:
        return not self.options

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True, slots=True)
class Survey:
    kind: SurveyKind
    version: int
    title: str  # Dutch msgid, short ("Korte vraag over je start")
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


# --- answer scales ------------------------------------------------------------------------

FIVE_POINTS = (
    Option("1", N_("😞 Slecht")),
    Option("2", N_("🙁 Niet zo goed")),
    Option("3", N_("😐 Gaat wel")),
    Option("4", N_("🙂 Goed")),
    Option("5", N_("😄 Heel goed")),
)
GOAL_REACHED = (  # hiva.md R30.1, after Annex 2 Q7
    Option("fully", N_("Volledig")),
    Option("largely", N_("Grotendeels")),
    Option("limited", N_("Een beetje")),
    Option("not", N_("Niet")),
)
YES_NO = (Option("yes", N_("Ja")), Option("no", N_("Nee")))
YES_PARTLY_NO = (
    Option("yes", N_("Ja")),
    Option("partly", N_("Een beetje")),
    Option("no", N_("Nee")),
)
NOW_DOING = (  # hiva.md R30.10
    Option("work", N_("Ik werk")),
    Option("volunteer", N_("Vrijwilligerswerk")),
    Option("training", N_("Een opleiding")),
    Option("searching", N_("Ik zoek nog")),
    Option("other", N_("Iets anders")),
)

WHY = N_("Wil je er iets over vertellen? Dat mag, het hoeft niet.")


def _q(
    id_: str,
    text: str,
    options: tuple[Option, ...],
    dimension: Dimension,
    follow_up: str | None = None,
) -> Question:
    return Question(id_, text, options, dimension, follow_up)


def _open(id_: str, text: str, dimension: Dimension) -> Question:
    return Question(id_, text, (), dimension)


# --- the surveys ----------------------------------------------------------------------------

START_V1 = Survey(
    SurveyKind.START,
    1,
    N_("Korte vraag over je start"),
    (
        _q("start_overall", N_("Hoe was de start van je traject?"), FIVE_POINTS, Dimension.SUPPORT),
        _q(
            "plan_understood",
            N_("Begrijp je wat er in je plan staat?"),
            YES_PARTLY_NO,
            Dimension.INFORMATION,
        ),
        _q(
            "felt_heard",
            N_("Heb je het gevoel dat er naar jou geluisterd wordt?"),
            YES_PARTLY_NO,
            Dimension.COACHING,
            WHY,
        ),
    ),
)

STAGE_V1 = Survey(
    SurveyKind.STAGE,
    1,
    N_("Korte vraag over je stage"),
    (
        _q("stage_overall", N_("Hoe gaat je stage?"), FIVE_POINTS, Dimension.TRAJECTORY),
        _q(
            "stage_support",
            N_("Krijg je genoeg hulp als iets moeilijk is?"),
            YES_PARTLY_NO,
            Dimension.COACHING,
            WHY,
        ),
    ),
)

END_V1 = Survey(
    SurveyKind.END,
    1,
    N_("Terugblik op je traject"),
    (
        _q(
            "goal_reached",
            N_("Heb je bereikt wat je wou bereiken met je traject?"),
            GOAL_REACHED,
            Dimension.OUTCOMES,
            WHY,
        ),
        _q("overall", N_("Hoe was je traject, alles samen?"), FIVE_POINTS, Dimension.TRAJECTORY),
        _q(
            "team_together",
            N_("Hoe goed werkten je begeleiders samen?"),
            FIVE_POINTS,
            Dimension.COACHING,
        ),
        _q(
            "story_again",
            N_("Moest je je verhaal te vaak opnieuw vertellen?"),
            YES_NO,
            Dimension.COACHING,
        ),
        _q(
            "plan_understood",
            N_("Begreep je wat er in je plan stond?"),
            YES_PARTLY_NO,
            Dimension.INFORMATION,
        ),
        _q(
            "complaints_known",
            N_("Wist je hoe je een klacht kon indienen?"),
            YES_NO,
            Dimension.INFORMATION,
        ),
        _q(
            "advice_explained",
            N_("Heeft iemand je het advies op het einde van je traject uitgelegd?"),
            YES_PARTLY_NO,
            Dimension.TRAJECTORY,
        ),
        _q(
            "advice_understood",
            N_("Begrijp je dat advies?"),
            YES_PARTLY_NO,
            Dimension.TRAJECTORY,
        ),
        _q(
            "knows_next",
            N_("Weet je wat er nu gebeurt, en wie je kan bellen?"),
            YES_PARTLY_NO,
            Dimension.AFTERCARE,
        ),
        _q("now_doing", N_("Wat doe je nu?"), NOW_DOING, Dimension.WORK_VIEW),
        _q(
            "work_view",
            N_("Weet je beter welk werk bij jou past?"),
            YES_PARTLY_NO,
            Dimension.WORK_VIEW,
        ),
        _q(
            "recommend",
            N_("Zou je dit traject aanraden aan iemand anders?"),
            YES_PARTLY_NO,
            Dimension.SUPPORT,
            N_("Waarom wel of niet? Dat mag je vertellen, het hoeft niet."),
        ),
        _open(
            "keep_or_change",
            N_("Wat moet jouw begeleiding blijven doen of veranderen?"),
            Dimension.SUPPORT,
        ),
    ),
)


def _reworded(survey: Survey, version: int, question_id: str, text: str) -> Survey:
    """The same survey with one question in new words: a new version (module docstring)."""
    questions = tuple(replace(q, text=text) if q.id == question_id else q for q in survey.questions)
    return replace(survey, version=version, questions=questions)


#: "Moest je ...?" reads as a conditional in Flemish ("if you had to ..."); version 2 asks
#: it plainly (issue 16 §6). Version 1 stays for reading old answers.
END_V2 = _reworded(
    END_V1, 2, "story_again", N_("Heb je je verhaal te vaak opnieuw moeten vertellen?")
)


def _follow_up(kind: SurveyKind, months: int) -> Survey:
    """3, 6 and 12 months after the end: where you are now, support and aftercare only
    (hiva.md R31)."""
    del months  # the same questions each time; the survey kind tells the moment
    return Survey(
        kind,
        1,
        N_("Hoe gaat het nu met je?"),
        (
            _q("now_doing", N_("Wat doe je nu?"), NOW_DOING, Dimension.WORK_VIEW),
            _q(
                "now_overall",
                N_("Hoe gaat het met je, alles samen?"),
                FIVE_POINTS,
                Dimension.OUTCOMES,
            ),
            _q(
                "aftercare_help",
                N_("Kan je nog bij iemand terecht als je hulp nodig hebt?"),
                YES_PARTLY_NO,
                Dimension.AFTERCARE,
                WHY,
            ),
        ),
    )


ANYTIME_V1 = Survey(
    SurveyKind.ANYTIME,
    1,
    N_("Anoniem feedback geven"),
    (
        _q(
            "support_now",
            N_("Hoe vind je de hulp die je nu krijgt?"),
            FIVE_POINTS,
            Dimension.SUPPORT,
        ),
        _open(
            "keep_or_change",
            N_("Wat moet jouw begeleiding blijven doen of veranderen?"),
            Dimension.SUPPORT,
        ),
    ),
)

#: The current version of each survey: what the bot offers now.
CURRENT: dict[SurveyKind, Survey] = {
    s.kind: s
    for s in (
        START_V1,
        STAGE_V1,
        END_V2,
        _follow_up(SurveyKind.FOLLOW_3, 3),
        _follow_up(SurveyKind.FOLLOW_6, 6),
        _follow_up(SurveyKind.FOLLOW_12, 12),
        ANYTIME_V1,
    )
}

#: Every version ever shipped, for reading old answers: (kind, version) -> survey.
ALL: dict[tuple[SurveyKind, int], Survey] = {
    (s.kind, s.version): s for s in (END_V1, *CURRENT.values())
}


def current(kind: SurveyKind) -> Survey:
    return CURRENT[kind]


def version(kind: SurveyKind, number: int) -> Survey | None:
    return ALL.get((kind, number))

"""Waar heb ik recht op? Plain explanations per topic, per network, each with a date.

What a participant can get (an onkostenvergoeding, transport costs, childcare, work clothes
and tools, aids, an interpreter) depends on their statuut and is unclear even to some
begeleiders (practice.md §2.6, NOOZO §7.1). So the bot never decides: every text says the
team looks at it together with the participant, and a ticked checklist becomes a request
to the team. The shipped texts are plain Dutch msgids (translated at display time); a
network's own text, set by an admin (PUT /api/v1/networks/{id}/rights), is shown as
written, with the date it was last checked.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

DEFAULTS_VERIFIED = date(2026, 12, 4)
MAX_TEXT = 2000


def N_(message: str) -> str:  # noqa: N802 - gettext's "mark now, translate at display time"
    return message


class RightsTopic(enum.StrEnum):
    ONKOSTEN = "onkosten"
    VERVOER = "vervoer"
    KINDEROPVANG = "kinderopvang"
    WERKKLEDIJ = "werkkledij"
    HULPMIDDELEN = "hulpmiddelen"
    TOLK = "tolk"
    INZAGE = "inzage"


#: Short names: buttons, the checklist and the team's flag (topic names only).
TITLES: Mapping[RightsTopic, str] = {
    RightsTopic.ONKOSTEN: N_("💶 Onkosten"),
    RightsTopic.VERVOER: N_("🚌 Vervoer"),
    RightsTopic.KINDEROPVANG: N_("🧸 Kinderopvang"),
    RightsTopic.WERKKLEDIJ: N_("🥾 Werkkledij en werkgereedschap"),
    RightsTopic.HULPMIDDELEN: N_("🦯 Hulpmiddelen"),
    RightsTopic.TOLK: N_("🗣️ Een tolk"),
    RightsTopic.INZAGE: N_("📂 Mijn dossier inkijken"),
}

#: The same names in Dutch for the team (the flag is read by the team, in Dutch).
TEAM_NAMES: Mapping[RightsTopic, str] = {
    RightsTopic.ONKOSTEN: "onkostenvergoeding",
    RightsTopic.VERVOER: "vervoerskosten",
    RightsTopic.KINDEROPVANG: "kinderopvang",
    RightsTopic.WERKKLEDIJ: "werkkledij en werkgereedschap",
    RightsTopic.HULPMIDDELEN: "hulpmiddelen",
    RightsTopic.TOLK: "tolk",
    RightsTopic.INZAGE: "inzage in het eigen dossier",
}

#: Shipped explanations: B1 Dutch, short sentences, no decision about anyone's rights.
DEFAULT_TEXTS: Mapping[RightsTopic, str] = {
    RightsTopic.ONKOSTEN: N_(
        "Soms krijg je geld terug voor kosten die je maakt. "
        "Dat heet een onkostenvergoeding.\n"
        "Of je die krijgt, hangt af van je uitkering of je situatie.\n"
        "Meer uren of een vergoeding kan soms je uitkering veranderen. "
        "Vraag het eerst aan je team."
    ),
    RightsTopic.VERVOER: N_(
        "Je maakt kosten om naar je werkplek te gaan. "
        "Met de bus, de trein, de fiets of de auto.\n"
        "Ook de reis naar je begeleider of je therapeut kost geld.\n"
        "Soms krijg je die kosten terug. Hou je tickets goed bij."
    ),
    RightsTopic.KINDEROPVANG: N_(
        "Heb je kinderen? Dan heb je misschien opvang nodig als je gaat werken.\n"
        "Soms is er hulp om die opvang te betalen.\n"
        "Je team zoekt mee naar opvang die past."
    ),
    RightsTopic.WERKKLEDIJ: N_(
        "Voor je werk heb je soms speciale kleren of gereedschap nodig.\n"
        "Soms is dat op maat gemaakt. "
        "Bijvoorbeeld veiligheidsschoenen die passen bij je voeten.\n"
        "Soms kan je die gebruiken voor de tijd van je stage."
    ),
    RightsTopic.HULPMIDDELEN: N_(
        "Een hulpmiddel maakt je werk makkelijker. "
        "Bijvoorbeeld een leesregel in braille, of borden en tekens.\n"
        "Soms kan je een hulpmiddel lenen voor je werk of je stage."
    ),
    RightsTopic.TOLK: N_(
        "Een tolk helpt als je een taal niet goed verstaat.\n"
        "Er zijn ook tolken Vlaamse Gebarentaal.\n"
        "Je kan een tolk vragen voor gesprekken met je team."
    ),
    RightsTopic.INZAGE: N_(
        "Je team bewaart informatie over jou in een dossier.\n"
        "Je mag altijd vragen om je eigen dossier in te kijken.\n"
        "Je team kijkt het dan samen met je door."
    ),
}

#: Said with every topic: the bot explains, the team and the participant decide together.
NOT_DECIDED_HERE = N_("Of je er recht op hebt, bekijk je samen met je team.")


@dataclass(frozen=True, slots=True)
class Explanation:
    topic: RightsTopic
    text: str
    last_verified: date | None
    is_default: bool  # True: a shipped msgid, translated; False: the network's own words


@dataclass(frozen=True, slots=True)
class OwnText:
    """A network's own explanation of one topic, shown as written."""

    text: str
    last_verified: date | None = None


def default(topic: RightsTopic) -> Explanation:
    return Explanation(topic, DEFAULT_TEXTS[topic], DEFAULTS_VERIFIED, is_default=True)


@dataclass(frozen=True, slots=True)
class RightsSettings:
    """A network's own texts; a topic without one falls back to the shipped default."""

    own: Mapping[RightsTopic, OwnText]

    @classmethod
    def defaults(cls) -> RightsSettings:
        return cls(own={})

    def explain(self, topic: RightsTopic) -> Explanation:
        own = self.own.get(topic)
        if own is None or not own.text.strip():
            return default(topic)
        return Explanation(topic, own.text, own.last_verified, is_default=False)

    def all(self) -> list[Explanation]:
        return [self.explain(topic) for topic in RightsTopic]


def parse_topics(values: Iterable[str]) -> list[RightsTopic]:
    """Known topics in the order of the checklist, each once; unknown values are dropped."""
    wanted = set(values)
    return [topic for topic in RightsTopic if topic.value in wanted]


def request_text(topics: Iterable[RightsTopic]) -> str:
    """The team's flag: topic names only, never health details."""
    chosen = parse_topics(t.value for t in topics)
    lines = ["Vraag om samen de rechten te bekijken (rechtenverkenning). Onderwerpen:"]
    lines += [f"- {TEAM_NAMES[t]}" for t in chosen]
    return "\n".join(lines)

"""Who handles complaints in a network, and the public contacts the bot explains.

None of the source documents describes the complaints procedure itself (decree.md R33 marks
it [OUTSIDE, verify]), so every contact is data, editable per network, with a "last
verified" date. The defaults come from public information of the Vlaamse Ombudsdienst and
VDAB; a network checks and overrides them (PUT /api/v1/networks/{id}/complaints).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

DEFAULTS_VERIFIED = date(2026, 11, 23)


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str = ""
    email: str = ""
    web: str = ""
    hours: str = ""
    note: str = ""  # one plain line, e.g. "gratis" or what it does not do
    last_verified: date | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_verified"] = self.last_verified.isoformat() if self.last_verified else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Contact:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and v is not None}
        if isinstance(values.get("last_verified"), str):
            values["last_verified"] = date.fromisoformat(values["last_verified"])
        return cls(**values)


#: Plain names of the shipped default handlers ("klachtenbehandelaar" is jargon).
ORGANISATION_NAME = "iemand van je netwerk die klachten behandelt"
INDEPENDENT_NAME = "iemand buiten je team die klachten behandelt"
#: Names shipped before; still translated when a network's stored settings carry them.
OLD_DEFAULT_NAMES = (
    "de klachtenbehandelaar van je netwerk",
    "de onafhankelijke klachtenbehandelaar",
)

OMBUDSDIENST = Contact(
    name="Vlaamse Ombudsdienst",
    phone="0800 240 50",
    web="https://www.vlaamseombudsdienst.be",
    hours="op werkdagen",
    note="Gratis. Geen anonieme klachten, maar je kan vragen dat je naam niet wordt doorgegeven.",
    last_verified=DEFAULTS_VERIFIED,
)
VDAB_KLACHTENDIENST = Contact(
    name="VDAB klachtendienst",
    phone="0800 30 700",
    web="https://www.vdab.be/klachten",
    hours="op werkdagen",
    note="Voor klachten over VDAB, ook over een beslissing over je traject.",
    last_verified=DEFAULTS_VERIFIED,
)


def N_(message: str) -> str:  # noqa: N802 - gettext's "mark now, translate at display time"
    return message


class ServiceKind(enum.StrEnum):
    """What kind of service a complaints handler belongs to: the next step after its answer
    differs per kind. The Vlaamse Ombudsdienst handles complaints about Flemish public
    services such as VDAB; a CAW, a mental-health or VAPH provider, or an OCMW has its own
    route (decree.md R33 and §5 mark the procedures [OUTSIDE, verify], so each kind's next
    step is data: a network sets the contact, the shipped words only say where to ask)."""

    FLEMISH_PUBLIC = "flemish_public"  # VDAB and other Flemish public services
    LOCAL_PUBLIC = "local_public"  # an OCMW: part of the municipality
    CAW = "caw"
    MENTAL_HEALTH = "mental_health"
    VAPH = "vaph"
    OTHER = "other"


#: Said when a network set no contact for the next step of this kind of service. No phone
#: numbers are shipped for these: the procedures differ and none is in the sources.
NEXT_STEP_WORDS: Mapping[ServiceKind, str] = {
    ServiceKind.FLEMISH_PUBLIC: N_("Dan kan je gratis naar de Vlaamse Ombudsdienst."),
    ServiceKind.LOCAL_PUBLIC: N_(
        "Een OCMW hoort bij je gemeente. Vraag bij je gemeente waar je met je klacht verder kan."
    ),
    ServiceKind.CAW: N_("Vraag het CAW waar je daarna terecht kan. Je team zoekt mee."),
    ServiceKind.MENTAL_HEALTH: N_(
        "In de geestelijke gezondheidszorg is er een ombudspersoon. Vraag de dienst wie dat is."
    ),
    ServiceKind.VAPH: N_("Vraag de dienst waar je daarna terecht kan. Je team zoekt mee."),
    ServiceKind.OTHER: N_("Vraag de dienst waar je daarna terecht kan. Je team zoekt mee."),
}


HANDLERS = ("organisation", "independent")


def webhook_secret_name(which: str) -> str:
    return f"complaints.{which}.webhook"


def webhook_target(network_id: uuid.UUID, which: str) -> str:
    """The outbox target of a webhook to a complaints handler (a team's is its team id)."""
    return f"handler:{network_id}:{which}"


def parse_webhook_target(target: str) -> tuple[uuid.UUID, str] | None:
    prefix, _, rest = target.partition(":")
    network, _, which = rest.partition(":")
    if prefix != "handler" or which not in HANDLERS:
        return None
    try:
        return uuid.UUID(network), which
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Handler:
    """Who receives a complaint filed in the bot: by e-mail (SMTP), by a signed webhook to
    the handler's own system, or both; always stored for the admin API."""

    contact: Contact
    email: str = ""  # where the bot mails complaints; empty: no e-mail
    anonymous_allowed: bool = False  # this handler's procedure accepts anonymous complaints
    #: the handler's own system; signed with a secret kept apart (encrypted, never shown)
    webhook_url: str = ""
    kind: ServiceKind = ServiceKind.OTHER  # decides the next step after its answer

    def to_json(self) -> dict[str, Any]:
        return {
            "contact": self.contact.to_json(),
            "email": self.email,
            "anonymous_allowed": self.anonymous_allowed,
            "webhook_url": self.webhook_url,
            "kind": self.kind.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None, default: Handler) -> Handler:
        if not data:
            return default
        return cls(
            contact=Contact.from_json(data.get("contact") or default.contact.to_json()),
            email=str(data.get("email") or ""),
            anonymous_allowed=bool(data.get("anonymous_allowed")),
            webhook_url=str(data.get("webhook_url") or ""),
            kind=_kind(data.get("kind")),
        )


def _kind(value: Any) -> ServiceKind:
    try:
        return ServiceKind(str(value))
    except ValueError:
        return ServiceKind.OTHER


@dataclass(frozen=True, slots=True)
class ComplaintSettings:
    """`organisation`: the network's own complaints handler (klachtenbehandelaar);
    `independent`: for complaints about someone of the participant's own team, never that
    team. Then VDAB's klachtendienst and the Vlaamse Ombudsdienst as next steps."""

    organisation: Handler = field(default_factory=lambda: Handler(Contact(name=ORGANISATION_NAME)))
    independent: Handler = field(default_factory=lambda: Handler(Contact(name=INDEPENDENT_NAME)))
    vdab: Contact = VDAB_KLACHTENDIENST
    ombudsdienst: Contact = OMBUDSDIENST
    #: A network's contact for the next step per kind of service (the Ombudsdienst is the
    #: one for Flemish public services); a kind without one gets NEXT_STEP_WORDS.
    next_steps: Mapping[ServiceKind, Contact] = field(default_factory=dict)

    def next_step(self, kind: ServiceKind) -> Contact | None:
        """Where to go after the handler's answer, for this kind of service; None: only
        the words of NEXT_STEP_WORDS."""
        if kind is ServiceKind.FLEMISH_PUBLIC:
            return self.next_steps.get(kind) or self.ombudsdienst
        return self.next_steps.get(kind)

    def handler(self, about_team: bool) -> Handler:
        return self.independent if about_team else self.organisation

    @staticmethod
    def which(about_team: bool) -> str:
        """The handler's name in settings, secrets and webhook targets."""
        return "independent" if about_team else "organisation"

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation.to_json(),
            "independent": self.independent.to_json(),
            "vdab": self.vdab.to_json(),
            "ombudsdienst": self.ombudsdienst.to_json(),
            "next_steps": {k.value: c.to_json() for k, c in self.next_steps.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ComplaintSettings:
        base = cls()
        if not data:
            return base
        return cls(
            organisation=Handler.from_json(data.get("organisation"), base.organisation),
            independent=Handler.from_json(data.get("independent"), base.independent),
            vdab=Contact.from_json(data["vdab"]) if data.get("vdab") else base.vdab,
            ombudsdienst=Contact.from_json(data["ombudsdienst"])
            if data.get("ombudsdienst")
            else base.ombudsdienst,
            next_steps={
                _kind(k): Contact.from_json(v)
                for k, v in (data.get("next_steps") or {}).items()
                if isinstance(v, Mapping) and k in ServiceKind.__members__.values()
            },
        )

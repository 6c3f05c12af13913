"""Who handles complaints in a network, and the public contacts the bot explains.

None of the source documents describes the complaints procedure itself (decree.md R33 marks
it [OUTSIDE, verify]), so every contact is data, editable per network, with a "last
verified" date. The defaults come from public information of the Vlaamse Ombudsdienst and
VDAB; a network checks and overrides them (PUT /api/v1/networks/{id}/complaints).
"""

from __future__ import annotations

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

    def to_json(self) -> dict[str, Any]:
        return {
            "contact": self.contact.to_json(),
            "email": self.email,
            "anonymous_allowed": self.anonymous_allowed,
            "webhook_url": self.webhook_url,
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
        )


@dataclass(frozen=True, slots=True)
class ComplaintSettings:
    """`organisation`: the network's own complaints handler (klachtenbehandelaar);
    `independent`: for complaints about someone of the participant's own team, never that
    team. Then VDAB's klachtendienst and the Vlaamse Ombudsdienst as next steps."""

    organisation: Handler = field(
        default_factory=lambda: Handler(Contact(name="de klachtenbehandelaar van je netwerk"))
    )
    independent: Handler = field(
        default_factory=lambda: Handler(Contact(name="de onafhankelijke klachtenbehandelaar"))
    )
    vdab: Contact = VDAB_KLACHTENDIENST
    ombudsdienst: Contact = OMBUDSDIENST

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
        )

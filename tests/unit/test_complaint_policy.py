"""Complaint settings: who handles what, JSON round trip, defaults said in every language."""

from __future__ import annotations

from datetime import date

from wzt_bot.bot.notifier import complaint_status_text
from wzt_bot.dialogs.complaint.handlers import (
    DEFAULT_WORDS,
    contact_lines,
    has_details,
    next_step_text,
    said,
)
from wzt_bot.domain.policies.complaints import ComplaintSettings, Contact, Handler, ServiceKind
from wzt_bot.domain.services.complaints import new_receipt
from wzt_bot.i18n import I18n


def test_a_complaint_about_the_team_goes_to_the_independent_handler() -> None:
    settings = ComplaintSettings(
        organisation=Handler(Contact(name="Klachtendienst Oost"), email="eigen@oost.example"),
        independent=Handler(Contact(name="Klachtenpunt"), email="onafhankelijk@example.org"),
    )
    assert settings.handler(about_team=True).email == "onafhankelijk@example.org"
    assert settings.handler(about_team=False).email == "eigen@oost.example"


def test_json_round_trip_keeps_every_field_and_the_verified_date() -> None:
    settings = ComplaintSettings(
        independent=Handler(
            Contact(
                name="Klachtenpunt",
                phone="09 123 45 67",
                email="k@example.org",
                web="https://example.org/klacht",
                hours="ma-vr 9-12",
                note="Gratis.",
                last_verified=date(2026, 12, 1),
            ),
            email="k@example.org",
            anonymous_allowed=True,
        )
    )
    again = ComplaintSettings.from_json(settings.to_json())
    assert again == settings
    assert ComplaintSettings.from_json(None) == ComplaintSettings()
    assert ComplaintSettings.from_json({}).ombudsdienst.phone == "0800 240 50"


def test_shipped_defaults_are_translated_and_a_networks_own_words_are_not() -> None:
    base = ComplaintSettings()
    for value in (
        base.organisation.contact.name,
        base.independent.contact.name,
        base.vdab.hours,
        base.ombudsdienst.hours,
    ):
        assert value in DEFAULT_WORDS
    en = I18n().get("en")
    assert said(en, base.independent.contact.name) != base.independent.contact.name
    assert said(en, "Klachtenpunt Oost") == "Klachtenpunt Oost"
    assert "0800 240 50" in contact_lines(en, base.ombudsdienst)


def test_receipts_are_easy_to_read_aloud_and_differ() -> None:
    receipts = {new_receipt() for _ in range(200)}
    assert len(receipts) == 200
    for receipt in receipts:
        assert receipt.startswith("K-") and len(receipt) == 8
        assert not set(receipt[2:]) & set("01OI")


def test_the_ombudsdienst_is_the_next_step_only_for_flemish_public_services() -> None:
    """Issue 16 §6: a CAW, a mental-health or VAPH provider or an OCMW has another route;
    the next step is data per kind of service."""
    nl = I18n().get("nl")
    base = ComplaintSettings()
    assert "Vlaamse Ombudsdienst" in next_step_text(nl, base, ServiceKind.FLEMISH_PUBLIC)
    assert "0800 240 50" in next_step_text(nl, base, ServiceKind.FLEMISH_PUBLIC)
    for kind in (
        ServiceKind.CAW,
        ServiceKind.MENTAL_HEALTH,
        ServiceKind.VAPH,
        ServiceKind.LOCAL_PUBLIC,
        ServiceKind.OTHER,
    ):
        assert "Ombudsdienst" not in next_step_text(nl, base, kind)
        assert "0800 240 50" not in next_step_text(nl, base, kind)
    own = ComplaintSettings(
        next_steps={ServiceKind.LOCAL_PUBLIC: Contact(name="Ombudsdienst Gent", phone="09 1")}
    )
    assert "Ombudsdienst Gent" in next_step_text(nl, own, ServiceKind.LOCAL_PUBLIC)
    assert ComplaintSettings.from_json(own.to_json()) == own
    caw = Handler(Contact(name="CAW Oost"), kind=ServiceKind.CAW)
    assert Handler.from_json(caw.to_json(), Handler(Contact(name="x"))).kind is ServiceKind.CAW


def test_an_answered_complaint_names_the_next_step_of_its_kind_of_service() -> None:
    nl = I18n().get("nl")
    answered = {"receipt": "K-ABCDEF", "status": "beantwoord", "answer": "Sorry."}
    caw = complaint_status_text(nl, answered | {"next_kind": "caw", "next": None})
    assert "Ombudsdienst" not in caw and "Vraag het CAW" in caw
    vdab = complaint_status_text(
        nl,
        answered
        | {"next_kind": "flemish_public", "next": ComplaintSettings().ombudsdienst.to_json()},
    )
    assert "Vlaamse Ombudsdienst" in vdab and "0800 240 50" in vdab


def test_a_receipt_shows_contact_lines_only_when_there_are_details() -> None:
    assert not has_details(ComplaintSettings().independent.contact)
    assert has_details(Contact(name="Klachtenpunt", phone="09 123 45 67"))


def test_default_handler_names_use_no_jargon() -> None:
    base = ComplaintSettings()
    for name in (base.organisation.contact.name, base.independent.contact.name):
        assert "klachtenbehandelaar" not in name

"""Feedback reports per network (hiva.md R34): aggregated, k-anonymous, never a target.

The anonymous answers keep no team (only network, trajectory type, survey version and
month), so there is no per-team view. Who may read: a network analyst or a teamlead for the
network(s) of their own team(s), an admin for every network; a casemanager never.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import Role, Staff, SurveyKind
from wzt_bot.domain.policies.anonymity import K, rate, suppress
from wzt_bot.domain.policies.masking import mask
from wzt_bot.domain.ports import Clock, FeedbackReportFilter, UnitOfWork
from wzt_bot.domain.services import audit
from wzt_bot.domain.surveys import version as survey_version


@dataclass(slots=True)
class OptionCount:
    code: str
    label: str
    count: int | None  # None: suppressed (fewer than K, or complementary)


@dataclass(slots=True)
class QuestionReport:
    id: str
    text: str
    respondents: int | None
    options: list[OptionCount]
    stopped_after: int | None  # unfinished sittings that stopped after this question
    texts: list[str] = field(default_factory=list)  # masked, shared words only


@dataclass(slots=True)
class MonthCount:
    month: date
    sittings: int | None


@dataclass(slots=True)
class SurveyReport:
    survey: SurveyKind
    version: int
    sittings: int | None
    offers: int | None
    response_rate: float | None
    months: list[MonthCount]
    questions: list[QuestionReport]


@dataclass(slots=True)
class FeedbackReport:
    network_id: uuid.UUID
    first_month: date
    last_month: date
    k: int
    surveys: list[SurveyReport]


async def networks_of(uow: UnitOfWork, staff: Staff) -> set[uuid.UUID] | None:
    """None: every network (admin)."""
    if staff.role is Role.ADMIN:
        return None
    if staff.role not in (Role.NETWORK_ANALYST, Role.TEAMLEAD):
        raise DomainError(ErrorCode.FORBIDDEN)
    out: set[uuid.UUID] = set()
    for team_id in staff.team_ids:
        team = await uow.teams.get(team_id)
        if team is not None:
            out.add(team.network_id)
    return out


async def feedback_report(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    where: FeedbackReportFilter,
    translate: Callable[[str], str] = lambda s: s,
) -> FeedbackReport:
    allowed = await networks_of(uow, staff)
    if (allowed is not None and where.network_id not in allowed) or (
        await uow.networks.get(where.network_id) is None
    ):
        raise DomainError(ErrorCode.NOT_FOUND, entity="network")
    agg = await uow.feedback.aggregates(where)
    keys = sorted({(s, v) for s, v, _ in agg.months})
    surveys: list[SurveyReport] = []
    for kind_value, number in keys:
        kind = SurveyKind(kind_value)
        months_raw = {
            m.isoformat(): c
            for (s, v, m), c in agg.months.items()
            if (s, v) == (kind_value, number)
        }
        sittings_total = sum(months_raw.values())
        months = suppress(months_raw)
        offers = agg.offers.get(kind_value, 0)
        definition = survey_version(kind, number)
        question_ids = (
            [q.id for q in definition.questions]
            if definition
            else sorted({q for s, v, q in agg.respondents if (s, v) == (kind_value, number)})
        )
        stopped_raw = {q: agg.stopped.get((kind_value, number, q), 0) for q in question_ids}
        stopped = suppress(stopped_raw)
        questions: list[QuestionReport] = []
        for qid in question_ids:
            question = definition.question(qid) if definition else None
            codes = [o.code for o in question.options] if question else []
            codes += sorted(
                {c for s, v, q, c in agg.answers if (s, v, q) == (kind_value, number, qid)}
                - set(codes)
            )
            raw = {c: agg.answers.get((kind_value, number, qid, c), 0) for c in codes}
            respondents = agg.respondents.get((kind_value, number, qid), 0)
            cells = suppress(raw, total=respondents)
            labels = {o.code: o.label for o in question.options} if question else {}
            texts = (
                [mask(t) for t in agg.texts.get((kind_value, number, qid), [])]
                if respondents >= K
                else []
            )
            questions.append(
                QuestionReport(
                    id=qid,
                    text=translate(question.text) if question else qid,
                    respondents=cells.total,
                    options=[
                        OptionCount(c, translate(labels[c]) if c in labels else c, cells.cells[c])
                        for c in codes
                    ],
                    stopped_after=stopped.cells.get(qid),
                    texts=texts,
                )
            )
        surveys.append(
            SurveyReport(
                survey=kind,
                version=number,
                sittings=months.total,
                offers=offers if offers >= K else None,
                # hidden with the total, else sittings = rate x offers would give it back
                response_rate=rate(sittings_total, offers) if months.total is not None else None,
                months=[MonthCount(date.fromisoformat(m), c) for m, c in months.cells.items()],
                questions=questions,
            )
        )
    await audit.by_staff(
        uow,
        clock,
        staff.id,
        "report.feedback.read",
        None,
        f"network={where.network_id} {where.first_month:%Y-%m}..{where.last_month:%Y-%m}",
    )
    return FeedbackReport(where.network_id, where.first_month, where.last_month, K, surveys)

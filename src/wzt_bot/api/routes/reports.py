"""Feedback reports per network: k-anonymous aggregates (k = 5), never a target.

The anonymous answers keep no team (only network, trajectory type, survey version and
month), so there is no per-team breakdown.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.schemas import Problem
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import SUPPORTED_LOCALES, SurveyKind
from wzt_bot.domain.ports import FeedbackReportFilter
from wzt_bot.domain.services import reports as svc
from wzt_bot.i18n import I18n

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

Responses = dict[int | str, dict[str, Any]]
ERRORS: Responses = {
    401: {"model": Problem},
    403: {"model": Problem, "description": "Casemanagers do not read reports"},
    404: {"model": Problem, "description": "No such network, or not one of your teams'"},
}
DESCRIPTION = (
    " Every count below 5 respondents is suppressed (null), with complementary suppression"
    " so it cannot be recovered from a total. There is no per-team breakdown: the anonymous"
    " answers keep no team. Results are for quality care, never a target."
)


class OptionOut(BaseModel):
    code: str
    label: str
    count: int | None


class QuestionOut(BaseModel):
    id: str
    text: str
    respondents: int | None
    stopped_after: int | None
    options: list[OptionOut]
    texts: list[str]


class MonthOut(BaseModel):
    month: date
    sittings: int | None


class SurveyOut(BaseModel):
    survey: SurveyKind
    version: int
    sittings: int | None
    offers: int | None
    response_rate: float | None
    months: list[MonthOut]
    questions: list[QuestionOut]


class FeedbackReportOut(BaseModel):
    network_id: uuid.UUID
    first_month: date
    last_month: date
    k: int
    surveys: list[SurveyOut]


_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _month(value: str, field: str) -> date:
    m = _MONTH.match(value)
    try:
        if m is None:
            raise ValueError
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID,
            errors=[
                {
                    "loc": ["query", field],
                    "msg": "expected YYYY-MM or YYYY-MM-DD",
                    "type": "value_error",
                }
            ],
        ) from None
    return day.replace(day=1)


@lru_cache(maxsize=1)
def _i18n() -> I18n:
    return I18n()


FromQ = Annotated[str, Query(alias="from", max_length=10, description="YYYY-MM or a date")]
ToQ = Annotated[str, Query(alias="to", max_length=10, description="YYYY-MM or a date")]
LangQ = Annotated[str | None, Query(max_length=8, description="translate the labels")]


async def _report(
    ctx: Ctx,
    staff: CurrentStaff,
    network_id: uuid.UUID,
    from_: str,
    to: str,
    survey: SurveyKind | None,
    trajectory_type: str | None,
    lang: str | None,
) -> svc.FeedbackReport:
    first, last = _month(from_, "from"), _month(to, "to")
    if first > last:
        raise DomainError(
            ErrorCode.INVALID,
            errors=[{"loc": ["query", "from"], "msg": "from is after to", "type": "value_error"}],
        )
    if lang is not None and lang not in SUPPORTED_LOCALES:
        raise DomainError(
            ErrorCode.INVALID,
            errors=[
                {"loc": ["query", "lang"], "msg": "unsupported language", "type": "value_error"}
            ],
        )
    translate = _i18n().get(lang) if lang else (lambda s: s)
    where = FeedbackReportFilter(network_id, first, last, survey, trajectory_type)
    async with ctx.uow_factory() as uow:
        report = await svc.feedback_report(uow, ctx.clock, staff, where, translate)
        await uow.commit()
    return report


@router.get(
    "/feedback",
    response_model=FeedbackReportOut,
    responses=ERRORS,
    description="Feedback per network and period (months)." + DESCRIPTION,
)
async def feedback_report(
    ctx: Ctx,
    staff: CurrentStaff,
    network_id: uuid.UUID,
    from_: FromQ,
    to: ToQ,
    survey: SurveyKind | None = None,
    trajectory_type: Annotated[str | None, Query(max_length=48)] = None,
    lang: LangQ = None,
) -> FeedbackReportOut:
    r = await _report(ctx, staff, network_id, from_, to, survey, trajectory_type, lang)
    return FeedbackReportOut.model_validate(r, from_attributes=True)


@router.get(
    "/feedback.csv",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
    response_class=Response,
    description="The answer counts as tidy CSV rows: survey, version, question, option,"
    " count, suppressed." + DESCRIPTION,
)
async def feedback_csv(
    ctx: Ctx,
    staff: CurrentStaff,
    network_id: uuid.UUID,
    from_: FromQ,
    to: ToQ,
    survey: SurveyKind | None = None,
    trajectory_type: Annotated[str | None, Query(max_length=48)] = None,
    lang: LangQ = None,
) -> Response:
    r = await _report(ctx, staff, network_id, from_, to, survey, trajectory_type, lang)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["survey", "version", "question", "option", "label", "count", "suppressed"])
    for s in r.surveys:
        for q in s.questions:
            for o in q.options:
                suppressed = o.count is None
                w.writerow(
                    [
                        s.survey.value,
                        s.version,
                        q.id,
                        o.code,
                        o.label,
                        "" if suppressed else o.count,
                        str(suppressed).lower(),
                    ]
                )
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


async def _chart(
    ctx: Ctx,
    staff: CurrentStaff,
    survey: SurveyKind,
    question_id: str,
    network_id: uuid.UUID,
    from_: str,
    to: str,
    version: int | None,
    trajectory_type: str | None,
    lang: str | None,
    fmt: str,
) -> Response:
    from wzt_bot.api.charts import render

    r = await _report(ctx, staff, network_id, from_, to, survey, trajectory_type, lang)
    found = [
        (s, q)
        for s in r.surveys
        for q in s.questions
        if q.id == question_id and (version is None or s.version == version)
    ]
    if not found:
        raise DomainError(ErrorCode.NOT_FOUND, entity="question")
    _, question = max(found, key=lambda sq: sq[0].version)
    media = "image/png" if fmt == "png" else "image/svg+xml"
    return Response(render(question, r.k, fmt), media_type=media)


CHART = "A bar chart of one question; suppressed bars are drawn as '< 5' without height."
VersionQ = Annotated[int | None, Query(ge=1, le=1000)]


@router.get(
    "/feedback/charts/{survey}/{question_id}.png",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"image/png": {}}}},
    description=CHART + DESCRIPTION,
)
async def feedback_chart_png(
    ctx: Ctx,
    staff: CurrentStaff,
    survey: SurveyKind,
    question_id: str,
    network_id: uuid.UUID,
    from_: FromQ,
    to: ToQ,
    version: VersionQ = None,
    trajectory_type: Annotated[str | None, Query(max_length=48)] = None,
    lang: LangQ = None,
) -> Response:
    return await _chart(
        ctx,
        staff,
        survey,
        question_id,
        network_id,
        from_,
        to,
        version,
        trajectory_type,
        lang,
        "png",
    )


@router.get(
    "/feedback/charts/{survey}/{question_id}.svg",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"image/svg+xml": {}}}},
    description=CHART + DESCRIPTION,
)
async def feedback_chart_svg(
    ctx: Ctx,
    staff: CurrentStaff,
    survey: SurveyKind,
    question_id: str,
    network_id: uuid.UUID,
    from_: FromQ,
    to: ToQ,
    version: VersionQ = None,
    trajectory_type: Annotated[str | None, Query(max_length=48)] = None,
    lang: LangQ = None,
) -> Response:
    return await _chart(
        ctx,
        staff,
        survey,
        question_id,
        network_id,
        from_,
        to,
        version,
        trajectory_type,
        lang,
        "svg",
    )

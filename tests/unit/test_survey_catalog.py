"""The surveys as data: every survey well formed, and what issue 5 asks of the end survey."""

from __future__ import annotations

import pytest

from wzt_bot.domain import surveys
from wzt_bot.domain.models import SurveyKind
from wzt_bot.domain.surveys import Dimension


@pytest.mark.parametrize("kind", list(SurveyKind))
def test_every_kind_has_a_current_survey(kind: SurveyKind) -> None:
    survey = surveys.current(kind)
    assert survey.kind is kind
    assert surveys.version(kind, survey.version) is survey
    assert survey.questions


@pytest.mark.parametrize("survey", list(surveys.CURRENT.values()), ids=lambda s: s.kind.value)
def test_ids_and_codes_are_unique_and_short(survey: surveys.Survey) -> None:
    ids = [q.id for q in survey.questions]
    assert len(ids) == len(set(ids))
    for question in survey.questions:
        codes = [o.code for o in question.options]
        assert len(codes) == len(set(codes))
        # question id + option code travel in callback data (64 bytes at most)
        assert len(question.id) <= 24 and all(len(c) <= 12 for c in codes)
        assert question.text.endswith("?")
        assert question.follow_up is None or not question.open


def test_the_end_survey_covers_hiva_and_noozo() -> None:
    end = surveys.current(SurveyKind.END)
    dimensions = {q.dimension for q in end.questions}
    # HIVA's four (hiva.md §4.4) and NOOZO's two (practice.md §2.4)
    assert {
        Dimension.COACHING,
        Dimension.AFTERCARE,
        Dimension.OUTCOMES,
        Dimension.WORK_VIEW,
        Dimension.SUPPORT,
        Dimension.TRAJECTORY,
    } <= dimensions
    goal = end.question("goal_reached")
    assert goal is not None and [o.code for o in goal.options] == [
        "fully",
        "largely",
        "limited",
        "not",
    ]
    for five in ("overall", "team_together"):
        question = end.question(five)
        assert question is not None and [o.code for o in question.options] == list("12345")
    story = end.question("story_again")
    assert story is not None and [o.code for o in story.options] == ["yes", "no"]
    last = end.questions[-1]
    assert last.open and last.text == "Wat moet jouw begeleiding blijven doen of veranderen?"
    for needed in (
        "plan_understood",
        "complaints_known",
        "advice_explained",
        "advice_understood",
        "knows_next",
        "recommend",
    ):
        assert end.question(needed) is not None, needed

"""k-anonymity of feedback reports, and the masking of shared words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wzt_bot.domain.policies.anonymity import K, rate, suppress
from wzt_bot.domain.policies.masking import EMAIL, NAME, PHONE, mask

counts = st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1)


def _solutions(shown_sum: int, total: int | None, hidden: int) -> str:
    """Whether the hidden cells are pinned by the published ones."""
    if total is None or hidden == 0:
        return "free"
    rest = total - shown_sum
    return "pinned" if hidden == 1 or rest == 0 else "free"


@given(counts, st.integers(0, 10))
def test_no_published_cell_below_k_and_none_recoverable(cells: dict[str, int], extra: int) -> None:
    total = sum(cells.values()) + extra  # e.g. respondents who wrote words only
    out = suppress(cells, total=total)
    shown = {k: v for k, v in out.cells.items() if v is not None}
    assert all(v >= K for v in shown.values())
    assert out.total is None or out.total >= K
    for key, value in cells.items():
        if value < K:
            assert out.cells[key] is None
    hidden = out.hidden()
    if hidden:
        # with the total shown, the hidden cells are not pinned: at least two of them,
        # and together they count at least K (so no single one can be derived)
        assert _solutions(sum(shown.values()), out.total, len(hidden)) == "free"
        if out.total is not None:
            assert out.total - sum(shown.values()) >= K


def test_small_group_hides_everything() -> None:
    out = suppress({"yes": 3, "no": 1})
    assert out.total is None and out.hidden() == {"yes", "no"}


def test_one_small_cell_takes_another_with_it() -> None:
    out = suppress({"yes": 20, "partly": 9, "no": 2})
    assert out.cells == {"yes": 20, "partly": None, "no": None}
    assert out.total == 31


def test_rate_needs_k_on_both_sides() -> None:
    assert rate(4, 10) is None and rate(5, 4) is None
    assert rate(5, 10) == 0.5


def test_masking() -> None:
    text = (
        "Mevrouw Janssens hielp. Bel 0470 12 34 56 of +32 9 123 45 67, mail an.b@x.be. Met Ahmed."
    )
    masked = mask(text)
    for secret in ("Janssens", "0470", "123 45", "an.b@x.be", "Ahmed"):
        assert secret not in masked
    assert masked.count(PHONE) == 2 and EMAIL in masked and masked.count(NAME) == 2
    assert mask("Ik vond het goed. Dank je.") == "Ik vond het goed. Dank je."
    assert NAME in mask("casemanager lies was er altijd")

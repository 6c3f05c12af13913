"""k-anonymity for feedback reports (hiva.md R34: aggregated and anonymised per network).

Every published cell counts at least `K` respondents. A group of cells with a total (the
options of one question, the months of a survey, where people stopped) gets complementary
suppression, so a hidden cell cannot be recovered by subtracting the shown cells from the
shown total:

1. total < K: the whole group and its total are hidden;
2. a cell with fewer than K (zero included) is hidden (primary);
3. if exactly one cell is hidden, the smallest shown cell is hidden too (secondary);
   with no other cell to hide, the total is hidden;
4. if the hidden cells together count fewer than K, the total is hidden as well (else the
   difference total - shown would give their sum, and a sum of 0 pins every one of them).

Pure: no framework, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

K = 5


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A group after suppression: `None` is a hidden value."""

    cells: dict[str, int | None]
    total: int | None

    def hidden(self) -> set[str]:
        return {key for key, value in self.cells.items() if value is None}


def suppress(counts: Mapping[str, int], total: int | None = None, k: int = K) -> Suppressed:
    """Suppress a group of counts; `total` defaults to their sum (it may be larger, e.g.
    respondents of a question where an answer can be words only)."""
    n = sum(counts.values()) if total is None else total
    if n < k:
        return Suppressed(dict.fromkeys(counts), None)
    hidden = {key for key, value in counts.items() if value < k}
    shown_total: int | None = n
    if len(hidden) == 1:
        rest = sorted((value, key) for key, value in counts.items() if key not in hidden)
        if rest:
            hidden.add(rest[0][1])
        else:
            shown_total = None
    if hidden and sum(counts[key] for key in hidden) < k:
        shown_total = None
    cells = {key: (None if key in hidden else value) for key, value in counts.items()}
    return Suppressed(cells, shown_total)


def rate(sittings: int, offers: int, k: int = K) -> float | None:
    """Sittings / offers, shown only when both count at least k."""
    if sittings < k or offers < k or offers == 0:
        return None
    return round(sittings / offers, 3)

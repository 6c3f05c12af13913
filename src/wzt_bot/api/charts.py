"""A bar chart per question (matplotlib, Agg backend, imported lazily).

Suppressed bars (fewer than k respondents, or complementary suppression) get no height:
only the label "< 5" is drawn, so no hidden count appears in the image or its SVG text.
"""

from __future__ import annotations

import io

from wzt_bot.domain.services.reports import QuestionReport


def _plain(label: str) -> str:
    """Without emoji (the bundled font has none): the words of the label."""
    return "".join(c for c in label if ord(c) <= 0xFFFF and not 0x2600 <= ord(c) <= 0x27BF).strip()


def render(question: QuestionReport, k: int, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.2))
    ax = fig.subplots()
    labels = [_plain(o.label) for o in question.options]
    heights = [o.count or 0 for o in question.options]
    xs = list(range(len(labels)))
    ax.bar(xs, heights, color="#3b6ea5")
    for x, option in zip(xs, question.options, strict=True):
        text = f"< {k}" if option.count is None else str(option.count)
        ax.annotate(text, (x, option.count or 0), ha="center", va="bottom")
    ax.set_xticks(xs, labels, rotation=15, fontsize=8)
    ax.set_yticks([])
    ax.set_title(question.text, fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else None
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "wzt"}):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()

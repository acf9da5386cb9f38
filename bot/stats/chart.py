"""/stats as a picture: a small PNG a phone shows whole, one panel per kind of number.

Rules: drawn on its own Agg canvas (no pyplot, no display, no global state), one chart at a
time; the weeks read left to right, oldest first, as in the
table; a week with no check-in due shows no bar rather than 0%.
"""

from __future__ import annotations

import io
import threading

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.stats.figures import ProgrammeStats, shown_rate, week_label

WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.0, 8.0, 110
_ONE_AT_A_TIME = threading.Lock()
"""Matplotlib shares its font cache between figures; two threads must not draw text at once."""
PAIRS, MET, RATE, CONCERNS, KUDOS = "#4C72B0", "#55A868", "#8172B2", "#C44E52", "#DD8452"


def stats_chart(stats: ProgrammeStats) -> bytes:
    """The PNG; one chart at a time, so it may be drawn in a worker thread."""
    with _ONE_AT_A_TIME:
        return _drawn(stats)


def _drawn(stats: ProgrammeStats) -> bytes:
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    where = "whole workspace" if stats.circle is None else stats.circle
    figure.suptitle(
        f"Mentor Circles: {where}, last {len(stats.weeks)} weeks\n"
        f"Now: {stats.waiting} waiting for a buddy, {stats.unreachable} with DMs closed",
        fontsize=11,
    )
    panels = figure.subplots(3 if stats.concerns is None else 4, 1, sharex=True)
    pairs, rate, kudos = panels[0], panels[1], panels[-1]
    weeks = range(len(stats.weeks))
    half = 0.4
    pairs.bar([w - half / 2 for w in weeks], stats.pairings_made, half, color=PAIRS, label="made")
    pairs.bar([w + half / 2 for w in weeks], stats.meetings_held, half, color=MET, label="met")
    pairs.legend(loc="lower right", bbox_to_anchor=(1, 1), fontsize=8, frameon=False, ncols=2)
    _style(pairs, "Pairings made and met")
    heights = [100 * (stats.answer_rate(w) or 0) for w in weeks]
    rate.bar(weeks, heights, 0.6, color=RATE)
    for week, height in enumerate(heights):
        due = stats.checkins_due[week]
        rate.annotate(
            shown_rate(stats.checkins_answered[week], due),
            (week, height),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color="black" if due else "grey",
        )
    rate.set_ylim(0, 115)
    rate.set_yticks([0, 50, 100], ["0%", "50%", "100%"])
    _style(rate, "Check-ins answered, of those due (- when none were)", counts=False)
    if stats.concerns is not None:  # only for a reader who may see concerns
        panels[2].bar(weeks, stats.concerns, 0.6, color=CONCERNS)
        _style(panels[2], "Concerns raised")
    kudos.bar(weeks, stats.kudos, 0.6, color=KUDOS)
    _style(kudos, "Kudos given (not revoked)")
    kudos.set_xticks(
        list(weeks),
        [week_label(m) for m in stats.weeks],
        rotation=45,
        ha="right",
        rotation_mode="anchor",
        fontsize=8,
    )
    kudos.set_xlabel(f"Week starting (Monday, {stats.zone})", fontsize=9)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _style(axes: Axes, title: str, *, counts: bool = True) -> None:
    axes.set_title(title, fontsize=10, loc="left")
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    if counts:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0, top=max(1.0, axes.get_ylim()[1]))

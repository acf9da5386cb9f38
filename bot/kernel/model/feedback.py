"""How a meeting went, as one person saw it (`MeetingRating`, a `NewMeetingRating` until storage
keeps it), and the rules that keep a rating from being traced back to whoever gave it.

The feedback feature writes ratings; privacy exports, erases and purges them and stats counts
them, so they live in the kernel. Rules: a rating is 1 to 5, from one person about a partner of
a pairing someone said "we met" about; one per rater, pairing and partner (a second replaces the
first); the words of its note are for the moderators only; an average of ratings is shown to
anyone but the moderators only when at least `MIN_RATERS` different people gave them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef

LOWEST_SCORE, HIGHEST_SCORE = 1, 5
LOW_SCORE = 2
"""A rating at or below this goes to the moderators at once, like a concern."""
MIN_RATERS = 3
"""Different people who must have rated before an average of their ratings is shown to a
member (their own) or in /stats (a week of a circle), so no single rating can be traced back."""


@dataclass
class NewMeetingRating:
    """One person's rating (1-5) of a meeting with a partner of a pairing, with an optional
    note for the moderators only. All a rating is but its id."""

    workspace: WorkspaceRef
    pairing_id: int
    rater_id: int
    rated_id: int
    score: int
    rated_at: datetime
    note: str = ""
    circle_id: int | None = None
    """The circle of the pairing's round; None for an on-demand pairing."""


@dataclass
class MeetingRating(NewMeetingRating):
    """A rating as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


def average_shown(scores: list[int], rater_ids: set[int]) -> float | None:
    """The average of `scores`, or None when fewer than MIN_RATERS different people gave
    them."""
    if len(rater_ids) < MIN_RATERS or not scores:
        return None
    return sum(scores) / len(scores)

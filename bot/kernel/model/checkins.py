"""A member's check-in for one period of one circle (`Checkin`, a `NewCheckin` until storage
keeps it) and how it stands (`CheckinStatus`).

Several features read check-ins (checkins, home, privacy, stats), so they live in the kernel.
Rules: one check-in per (circle, member, period); its questions are copied when it opens; one
not answered when its window closes is missed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.kernel.model.circles import Circle
from bot.kernel.model.members import Member


class CheckinStatus(StrEnum):
    OPEN = "open"
    """Prompted (or due to be), not answered yet."""
    ANSWERED = "answered"
    SKIPPED = "skipped"
    MISSED = "missed"
    """The window closed with no answer, or could no longer be answered when the bot got to it."""


@dataclass
class NewCheckin:
    """One member's check-in for one period of one circle: unique per (circle, member, period).
    The questions are copied when it opens, so a later change of the circle's questions does not
    change what this member is answering. All a check-in is but its id."""

    circle: Circle
    member: Member
    period: str
    scheduled_at: datetime
    closes_at: datetime
    questions: tuple[str, ...]
    status: CheckinStatus = CheckinStatus.OPEN
    prompted_at: datetime | None = None
    """None when no prompt was sent (missed while the bot was down, or skipped while paused)."""
    reminders_sent: int = 0
    remind_at: datetime | None = None
    answers: tuple[str, ...] = ()
    concern: bool = False
    answered_at: datetime | None = None
    late: bool = False
    skip_reason: str = ""

    def is_closed(self, now: datetime) -> bool:
        return now >= self.closes_at


@dataclass
class Checkin(NewCheckin):
    """A check-in as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


@dataclass(frozen=True)
class ScheduledCircle:
    """A circle whose check-ins the job must look at now, with the version of its schedule it
    was read at (0 before it had one): the job's next moment for it is kept only while no change
    has marked it since."""

    circle: Circle
    version: int

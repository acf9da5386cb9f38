"""Storing check-ins and their periods' digests (`CheckinRepository`).

Rules: a check-in is unique per (circle, member, period) whatever races, and a period's digest
is recorded once; what the jobs look at each tick is found through the stored moments it falls
due at (a circle's next check-in moment, a period's last closing), never by reading every circle
or every check-in."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Checkin, NewCheckin, ScheduledCircle


class CheckinRepository(Protocol):
    """Check-ins and the digests of their periods. A check-in is unique per (circle, member,
    period); the jobs that open, remind and close them work across workspaces."""

    async def due_circles(self, now: datetime) -> list[ScheduledCircle]:
        """Circles whose stored check-in moment has come, or that a change marked since (storage
        marks a circle when it is made or changed, when someone joins or changes role in it and
        when a member changes time zone or quiet hours), or that never had one; by id."""
        ...

    async def reschedule(self, circle_id: int, version: int, due_at: datetime | None) -> None:
        """Store when the circle must next be looked at (None: not until something changes),
        unless a change marked it after `version` was read: then it stays due."""
        ...

    async def existing(self, circle_id: int, periods: Collection[str]) -> set[tuple[int, str]]:
        """(member id, period) of the circle's check-ins for these periods."""
        ...

    async def add(self, checkin: NewCheckin) -> Checkin | None:
        """The check-in as stored, with its id; None when the member already has one for that
        circle and period (whatever races)."""
        ...

    async def add_all(self, checkins: Sequence[NewCheckin]) -> list[Checkin]:
        """Add them all at once (all of one circle), as stored, with their ids; the ones already
        there are left out of the result, whatever races."""
        ...

    async def save(self, checkin: Checkin) -> None:
        """Store its status, answers, reminders and skip reason."""
        ...

    async def get(self, checkin_id: int) -> Checkin | None: ...

    async def latest_of(self, member_id: int) -> list[Checkin]:
        """The member's most recent check-in in each circle, the soonest closing first."""
        ...

    async def of_period(self, circle_id: int, period: str) -> list[Checkin]:
        """The circle's check-ins for one period, by member name."""
        ...

    async def latest_period(self, circle_id: int) -> str | None:
        """The period of the circle's most recently scheduled check-in."""
        ...

    async def reminders_due(self, now: datetime, limit: int) -> list[Checkin]:
        """Open (unanswered) check-ins whose next reminder is due, the longest due first."""
        ...

    async def closing(self, now: datetime, limit: int) -> list[Checkin]:
        """Open (unanswered) check-ins whose window has closed, the longest closed first."""
        ...

    async def periods_to_digest(self, now: datetime, limit: int) -> list[tuple[int, str]]:
        """(circle id, period) whose every check-in window has closed and none still open (the
        closing job has marked each unanswered one missed), the soonest closed first. A period
        already digested may come again once (a late joiner's check-in): `add_digest` says so
        and settles it."""
        ...

    async def add_digest(self, circle_id: int, period: str, now: datetime) -> bool:
        """Record the period's digest (it is no longer to come); False when it was recorded
        before."""
        ...

    async def last_digest_at(self, circle_id: int) -> datetime | None: ...

    async def late_since(self, circle_id: int, since: datetime | None) -> list[Checkin]:
        """Late answers in the circle given after `since` (all of them for None)."""
        ...

    async def answered_count(self, member_id: int) -> int:
        """Check-ins the member has answered, in every circle."""
        ...

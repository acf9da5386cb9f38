"""Storing check-ins and their periods' digests (`CheckinRepository`).

Rules: a check-in is unique per (circle, member, period) whatever races, and a period's digest
is recorded once."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Checkin, NewCheckin


class CheckinRepository(Protocol):
    """Check-ins and the digests of their periods. A check-in is unique per (circle, member,
    period); the jobs that open, remind and close them work across workspaces."""

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
        """Open (unanswered) check-ins whose next reminder is due."""
        ...

    async def closing(self, now: datetime, limit: int) -> list[Checkin]:
        """Open (unanswered) check-ins whose window has closed."""
        ...

    async def periods_to_digest(self, now: datetime, limit: int) -> list[tuple[int, str]]:
        """(circle id, period) whose every check-in window has closed, none still open (the
        closing job has marked each unanswered one missed), and no digest was made."""
        ...

    async def add_digest(self, circle_id: int, period: str, now: datetime) -> bool:
        """Record the period's digest; False when it was recorded before."""
        ...

    async def last_digest_at(self, circle_id: int) -> datetime | None: ...

    async def late_since(self, circle_id: int, since: datetime | None) -> list[Checkin]:
        """Late answers in the circle given after `since` (all of them for None)."""
        ...

    async def answered_count(self, member_id: int) -> int:
        """Check-ins the member has answered, in every circle."""
        ...

"""A send budget for one process alone (`OwnBudget`): what the dispatcher uses when no shared
one is given. Booking is the same rule as the database's shared budget (storage.outbox.budget):
a booking starts after what is booked already and after any hold, and takes sends / per_second.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def booked_start(
    booked_until: datetime | None, held_until: datetime | None, now: datetime
) -> datetime:
    """When a new booking may start: now, or after what is booked and any hold."""
    return max(now, booked_until or now, held_until or now)


def booking_length(sends: int, per_second: float) -> timedelta:
    return timedelta(seconds=sends / per_second)


class OwnBudget:
    """The budget of one process: its drains share it, nobody else does."""

    def __init__(self) -> None:
        self._booked: dict[str, datetime] = {}
        self._held: dict[str, datetime] = {}

    async def reserve(
        self, platform: str, sends: int, per_second: float, now: datetime
    ) -> datetime:
        start = booked_start(self._booked.get(platform), self._held.get(platform), now)
        self._booked[platform] = start + booking_length(sends, per_second)
        return start

    async def hold(self, platform: str, until: datetime) -> None:
        self._held[platform] = max(until, self._held.get(platform, until))

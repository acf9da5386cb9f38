"""A send budget for one process alone (`OwnBudget`, on the event loop's clock, as the lanes'
pacing is). The booking rule is the same as the database's shared budget
(storage.outbox.store): a booking starts after what is booked already and after any hold, and
takes sends / per_second seconds.
"""

from __future__ import annotations

import asyncio


def booked_start(booked_until: float | None, held_until: float | None, now: float) -> float:
    """When a new booking may start (in seconds on the budget's clock): now, or after what is
    booked and any hold."""
    return max(now, booked_until or now, held_until or now)


def booking_length(sends: int, per_second: float) -> float:
    return sends / per_second


class OwnBudget:
    """The budget of one process: its dispatchers share it, nobody else does."""

    def __init__(self) -> None:
        self._booked: dict[str, float] = {}
        self._held: dict[str, float] = {}

    async def reserve(self, platform: str, sends: int, per_second: float) -> float:
        now = asyncio.get_running_loop().time()
        start = booked_start(self._booked.get(platform), self._held.get(platform), now)
        self._booked[platform] = start + booking_length(sends, per_second)
        return start - now

    async def hold(self, platform: str, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        self._held[platform] = max(until, self._held.get(platform, until))

"""A send budget for one process alone (`OwnBudget`, on the event loop's clock, as the lanes'
pacing is). The booking rules are the same as the database's shared budget
(storage.outbox.store), and live here for both:
- a booking starts after what is booked already and after any hold, and takes
  sends / per_second seconds;
- a send under several keys (its platform's paces: a channel, a method in a workspace, a route)
  starts when every key allows it (a key with a `burst` lets that many go at once, then keeps
  to its rate); it is booked on its paced keys only when that is within the
  planner's horizon; one further off is not booked, and the next unbooked send of the same key
  comes one booking after it, so sends put back return one by one in their turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.kernel.ports import Pace


def booked_start(booked_until: float | None, held_until: float | None, now: float) -> float:
    """When a new booking may start (in seconds on the budget's clock): now, or after what is
    booked and any hold."""
    return max(now, booked_until or now, held_until or now)


def booking_length(sends: int, per_second: float) -> float:
    return sends / per_second


@dataclass
class KeyBudget:
    """One key's bookings and hold, in seconds on the budget's clock."""

    booked_until: float | None = None
    held_until: float | None = None


def plan_sends(
    sends: Sequence[Sequence[Pace]], keys: Mapping[str, KeyBudget], now: float, within: float
) -> tuple[list[float], dict[str, float]]:
    """Each send's wait, and the paced keys' new `booked_until` (see the module's rules). A
    key's `booked_until` is when its bookings would end at its rate; a send may start `burst - 1`
    bookings before that (a token bucket `burst` deep)."""
    booked = {k: b.booked_until for k, b in keys.items() if b.booked_until is not None}
    unbooked: dict[str, float] = {}
    waits: list[float] = []

    def booked_up_to(key: str) -> float:
        return max(booked.get(key, now), unbooked.get(key, now))

    for paces in sends:
        start = now
        for pace in paces:
            start = max(start, keys.get(pace.key, KeyBudget()).held_until or now)
            if pace.per_second is not None:
                early = booking_length(pace.burst - 1, pace.per_second)
                start = max(start, booked_up_to(pace.key) - early)
        later = booked if start - now <= within else unbooked
        for pace in paces:
            if pace.per_second is not None:
                until = max(booked_up_to(pace.key), start)
                later[pace.key] = until + booking_length(1, pace.per_second)
        waits.append(round(start - now, 6))  # to the microsecond: a float's dust is no wait
    changed = {
        k: until for k, until in booked.items() if until != keys.get(k, KeyBudget()).booked_until
    }
    return waits, changed


class OwnBudget:
    """The budget of one process: its dispatchers share it, nobody else does."""

    def __init__(self) -> None:
        self._keys: dict[str, KeyBudget] = {}

    async def reserve(self, platform: str, sends: int, per_second: float) -> float:
        now = asyncio.get_running_loop().time()
        key = self._keys.setdefault(platform, KeyBudget())
        start = booked_start(key.booked_until, key.held_until, now)
        key.booked_until = start + booking_length(sends, per_second)
        return start - now

    async def hold(self, platform: str, seconds: float) -> None:
        key = self._keys.setdefault(platform, KeyBudget())
        until = asyncio.get_running_loop().time() + seconds
        key.held_until = max(until, key.held_until or until)

    async def plan(self, sends: Sequence[Sequence[Pace]], within: float) -> list[float]:
        now = asyncio.get_running_loop().time()
        waits, booked = plan_sends(sends, self._keys, now, within)
        for name, until in booked.items():
            self._keys.setdefault(name, KeyBudget()).booked_until = until
        return waits

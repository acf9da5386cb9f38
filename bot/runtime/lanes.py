"""The outbox dispatcher's working parts: a lane per platform (its pace, its bound on sends in
flight, its hold after a 429), the claim under way, the sends of one drain, and how often and
how long a failed send is tried again.

Rules: a routine row fails for good after MAX_ATTEMPTS passing failures, a concern never does;
the wait before another try doubles from 5 seconds up to an hour.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter

from bot.kernel.model import OutboxEntry, Priority
from bot.kernel.ports import Messenger
from bot.runtime.sent_marks import SentMarks

MAX_ATTEMPTS = 8
PACE_BURST = 2
"""Sends a paced lane may start back to back to make up for a pause (a claim, a slow reply)."""
CLAIM_SECONDS = 2.0
"""Seconds of sends at a paced lane's pace that one claim holds at most: a concern queued while
a lane works through a long queue waits behind what the lane has claimed, about that long."""


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    throttled: int = 0
    """429s received; each throttled row went back without counting as a try."""
    uncertain: int = 0
    """Sends whose outcome is unknown; recorded uncertain, never sent again."""


@dataclass
class Lane:
    """One platform: its pace, its bound on sends in flight and its hold after a 429."""

    platform: str
    messenger: Messenger
    batch_size: int
    slots: asyncio.Semaphore
    limiter: AsyncLimiter | None
    marks: SentMarks
    resume_at: float = 0.0
    """Loop time before which no send starts on this platform."""
    throttles: int = 0
    """429s seen so far; a drain that saw one while finishing goes round once more."""
    horizon: float = CLAIM_SECONDS
    """Seconds a claimed send may wait for its channel's or method's turn; a longer wait puts
    it back until then."""
    back_at: list[float] = field(default_factory=list)
    """Loop times (a heap) when rows put back to wait for their turn (or for a 429 on one key)
    become due; the drain comes back for each in turn."""

    key_holds: dict[str, float] = field(default_factory=dict)
    """Loop time until which a 429 for one key alone holds it, as this process heard."""

    def hold_key(self, key: str, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        self.key_holds[key] = max(until, self.key_holds.get(key, until))

    def key_hold_left(self, keys: Iterable[str]) -> float:
        now = asyncio.get_running_loop().time()
        return max((self.key_holds.get(key, now) - now for key in keys), default=0.0)

    def come_back_in(self, seconds: float) -> None:
        heapq.heappush(self.back_at, asyncio.get_running_loop().time() + max(0.0, seconds))

    def next_back(self, claimed_at: float) -> float | None:
        """Seconds until the next rows put back become due (None when none are still to come);
        those due by `claimed_at` (the loop time of a claim that found nothing due) are
        forgotten: they were sent, or another instance took them."""
        while self.back_at and self.back_at[0] <= claimed_at:
            heapq.heappop(self.back_at)
        now = asyncio.get_running_loop().time()
        return max(0.0, self.back_at[0] - now) if self.back_at else None

    def hold_left(self) -> float:
        return max(0.0, self.resume_at - asyncio.get_running_loop().time())

    def hold_for(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, asyncio.get_running_loop().time() + seconds)

    async def wait_out_hold(self) -> None:
        left = self.hold_left()
        while left > 0:  # a 429 answered meanwhile may have made the hold longer
            await asyncio.sleep(left)
            left = self.hold_left()


@dataclass
class Claim:
    """A claim under way, and the lane's count of 429s when it began."""

    rows: asyncio.Future[list[OutboxEntry]]
    throttles: int
    at: float
    """Loop time when the claim was made."""


@dataclass
class Run:
    """One drain's sends in flight on one lane, and the first error one of them met (a store
    that failed to record an outcome), raised once they have all finished."""

    in_flight: set[asyncio.Task[None]] = field(default_factory=set)
    errors: list[BaseException] = field(default_factory=list)

    def add(self, task: asyncio.Task[None]) -> None:
        self.in_flight.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            self.errors.append(error)

    async def settle(self) -> None:
        while self.in_flight:
            await asyncio.wait(list(self.in_flight))
        if self.errors:
            raise self.errors[0]


def tries_left(entry: OutboxEntry) -> bool:
    return entry.priority is Priority.CONCERN or entry.attempts < MAX_ATTEMPTS


def backoff(attempts: int) -> float:
    return min(2.0 ** min(attempts, 10) * 5.0, 3600.0)


def after(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=max(0.0, seconds))


def first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first error of a drain's task group, unwrapped, so callers see what went wrong."""
    error: BaseException = group
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error

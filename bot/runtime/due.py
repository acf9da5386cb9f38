"""What falls due as time passes. The scheduler (or the console's /advance) calls `run_due` each
tick; what is due lives in the database, so a restart simply recomputes it.

Rules:
- in one process, ticks take turns: a tick's jobs start after the previous tick's jobs ended;
- across instances sharing a database, only the one holding the tick lock runs the jobs in a
  tick; every instance recovers and drains the outbox (their claims never overlap);
- one failing job is logged and does not stop the others or the outbox.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from bot.kernel.ports import Clock, TickLock
from bot.runtime.outbox import DrainResult, OutboxDispatcher

log = logging.getLogger(__name__)

DueJob = Callable[[datetime], Awaitable[None]]


class SoleInstance:
    """The tick lock of a bot that never shares its database: always this instance's turn."""

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[bool]:
        yield True


class DueWork:
    def __init__(
        self,
        jobs: Sequence[DueJob],
        dispatcher: OutboxDispatcher,
        clock: Clock,
        tick_lock: TickLock | None = None,
    ) -> None:
        self._jobs = list(jobs)
        self._dispatcher = dispatcher
        self._clock = clock
        self._tick_lock: TickLock = tick_lock or SoleInstance()
        self._turn = asyncio.Lock()

    async def run_due(self) -> DrainResult:
        """Run every job for now when this instance holds the tick lock, then deliver what they
        and earlier commands queued."""
        async with self._turn, self._tick_lock.hold() as mine:
            if mine:
                await self._run_jobs()
        await self._dispatcher.recover()
        return await self._dispatcher.drain()

    async def _run_jobs(self) -> None:
        now = self._clock.now()
        for job in self._jobs:
            try:
                await job(now)
            except Exception:
                log.exception("due job %s failed", getattr(job, "__name__", job))

    @property
    def settle_every(self) -> float:
        """Seconds between checks for a dead instance's claims: half a lease, so what it had
        claimed goes out again within a lease and a half of its claim."""
        return self._dispatcher.lease.total_seconds() / 2

    async def settle_stale(self) -> None:
        """Settle claims whose lease ran out (a crashed or killed instance's), and send at once
        what that puts back, without waiting for the next tick."""
        if (await self._dispatcher.recover())[0]:
            await self._dispatcher.drain()

    async def deliver(self) -> DrainResult:
        """Deliver what is queued, without running jobs (right after a command)."""
        return await self._dispatcher.drain()

    def stop(self) -> None:
        """Start no new send; drains under way finish what is in flight and end (shutdown)."""
        self._dispatcher.stop()

"""What falls due as time passes. The scheduler (or the console's /advance) calls `run_due` each
tick; what is due lives in the database, so a restart simply recomputes it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot.outbox import DrainResult, OutboxDispatcher
from bot.ports import Clock

log = logging.getLogger(__name__)

DueJob = Callable[[datetime], Awaitable[None]]


class DueWork:
    def __init__(self, jobs: Sequence[DueJob], dispatcher: OutboxDispatcher, clock: Clock) -> None:
        self._jobs = list(jobs)
        self._dispatcher = dispatcher
        self._clock = clock

    async def run_due(self) -> DrainResult:
        """Run every job for now, then deliver what they and earlier commands queued.
        One failing job is logged and does not stop the others or the outbox."""
        now = self._clock.now()
        for job in self._jobs:
            try:
                await job(now)
            except Exception:
                log.exception("due job %s failed", getattr(job, "__name__", job))
        await self._dispatcher.recover()
        return await self._dispatcher.drain()

    async def deliver(self) -> DrainResult:
        """Deliver what is queued, without running jobs (right after a command)."""
        return await self._dispatcher.drain()

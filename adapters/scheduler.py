"""The clock tick: APScheduler 3.x calls `run_due` every `[scheduler] tick_seconds`, and
`settle_stale` every half lease (a dead instance's claims go out again within a minute).

Rules:
- APScheduler only ticks; what is due lives in the database, so a restart recomputes it;
- one interval job in an in-memory job store of this process: a job store is never shared
  between instances (two 3.x schedulers on one store ran a job twice, see TESTING-NOTES), and
  PostgreSQL's advisory lock, not APScheduler, picks the instance that runs the jobs;
- the first tick runs at start; a tick never overlaps the one before (max_instances=1) and
  ticks missed meanwhile run once (coalesce), however late;
- a failing tick is logged and the next one runs as usual;
- stopping starts no new tick or send: the tick under way lets its sends in flight finish and
  puts back what it had claimed, and `stop` returns when it has ended.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.runtime.due import DueWork

log = logging.getLogger(__name__)

JOB_ID = "circles:run-due"
SETTLE_JOB_ID = "circles:settle-stale"


class _SkippedTicks(logging.Filter):
    """A tick skipped because the one before is still sending is expected, not a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_SkippedTicks())


class _Scheduler(Protocol):
    """The part of APScheduler 3.x the ticker uses (APScheduler ships no types)."""

    @property
    def running(self) -> bool: ...

    def add_job(
        self,
        func: Callable[[], Awaitable[None]],
        trigger: str,
        *,
        seconds: float,
        id: str,
        max_instances: int,
        coalesce: bool,
        misfire_grace_time: int | None,
        next_run_time: datetime,
    ) -> object: ...

    def start(self) -> None: ...

    def shutdown(self, wait: bool = True) -> None: ...


class Ticker:
    def __init__(self, due: DueWork, tick_seconds: float) -> None:
        self._due = due
        self._tick_seconds = tick_seconds
        self._scheduler: _Scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[object]] = set()
        """The tick and the settling under way, waited for when stopping."""
        self._stopping = False

    def start(self) -> None:
        """Tick now and then every `tick_seconds` (call from a running event loop)."""
        self._scheduler.add_job(
            self._tick,
            "interval",
            seconds=self._tick_seconds,
            id=JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
        self._scheduler.add_job(
            self._settle,
            "interval",
            seconds=self._due.settle_every,
            id=SETTLE_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC) + timedelta(seconds=self._due.settle_every),
        )
        self._scheduler.start()

    async def stop(self) -> None:
        self._stopping = True
        self._due.stop()
        # What is under way ends first: the scheduler's shutdown would cancel it mid-send.
        if under_way := [task for task in self._running if not task.done()]:
            await asyncio.wait(under_way)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def _tick(self) -> None:
        if self._stopping:
            return
        try:
            with self._under_way():
                await self._due.run_due()
        except Exception:
            log.exception("a tick failed; the next one runs as usual")

    async def _settle(self) -> None:
        if self._stopping:
            return
        try:
            with self._under_way():
                await self._due.settle_stale()
        except Exception:
            log.exception("settling stale claims failed; the next tick tries again")

    @contextmanager
    def _under_way(self) -> Iterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._running.discard(task)

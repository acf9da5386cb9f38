"""A tick: the instance holding the tick lock runs the due jobs; every instance delivers what is
queued; ticks in one process take turns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from adapters.clock import ManualClock
from bot.kernel.model import MemberRef
from bot.runtime.due import DueWork
from bot.runtime.outbox import OutboxDispatcher
from tests.support.fakes import MemoryOutboxStore, RecordingMessenger
from tests.support.settings import START


class FixedLock:
    def __init__(self, mine: bool) -> None:
        self.mine = mine

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[bool]:
        yield self.mine


def _due(mine: bool, ran: list[datetime]) -> tuple[DueWork, MemoryOutboxStore, RecordingMessenger]:
    store = MemoryOutboxStore()
    store.queue("checkin:1:7:2026-W10", MemberRef("console", "w1", "ada"), START)
    messenger = RecordingMessenger()
    clock = ManualClock(START)

    async def job(now: datetime) -> None:
        ran.append(now)

    dispatcher = OutboxDispatcher(store, {"console": messenger}, clock)
    return DueWork([job], dispatcher, clock, FixedLock(mine)), store, messenger


async def test_the_instance_holding_the_tick_runs_the_jobs_and_delivers() -> None:
    ran: list[datetime] = []
    due, _, messenger = _due(True, ran)
    result = await due.run_due()
    assert ran == [START]
    assert messenger.texts_to("ada") == ["text of checkin:1:7:2026-W10"]
    assert result.sent == 1


async def test_an_instance_without_the_tick_runs_no_job_but_still_delivers() -> None:
    ran: list[datetime] = []
    due, _, messenger = _due(False, ran)
    await due.run_due()
    assert ran == []
    assert messenger.texts_to("ada") == ["text of checkin:1:7:2026-W10"]


async def test_two_ticks_at_once_in_one_process_take_turns_and_send_once() -> None:
    running: list[int] = []
    overlapped: list[bool] = []
    store = MemoryOutboxStore()
    store.queue("checkin:1:7:2026-W10", MemberRef("console", "w1", "ada"), START)
    messenger = RecordingMessenger()
    clock = ManualClock(START)

    async def job(now: datetime) -> None:
        overlapped.append(bool(running))
        running.append(1)
        await asyncio.sleep(0)
        running.pop()

    due = DueWork([job], OutboxDispatcher(store, {"console": messenger}, clock), clock)
    await asyncio.gather(due.run_due(), due.run_due())
    assert overlapped == [False, False]
    assert messenger.texts_to("ada") == ["text of checkin:1:7:2026-W10"]

"""The outbox on SQLite and PostgreSQL: queued once per key, claimed by one dispatcher at a time,
settled after a crash without sending twice where the platform cannot drop repeats."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import ManualClock
from bot.model import Destination, MemberRef, OutboxStatus, OutgoingMessage
from bot.outbox import OutboxDispatcher
from bot.ports import Failed, RetryLater
from storage.database import create_engine as _create_engine
from storage.database import upgrade
from storage.outbox_store import SqlOutboxStore
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import START
from tests.fakes import RecordingMessenger

BOB = MemberRef("console", "w1", "bob")


_engines: list[AsyncEngine] = []


def create_engine(url: str) -> AsyncEngine:
    """An engine that is disposed after the test, so no driver thread outlives its event loop."""
    engine = _create_engine(url)
    _engines.append(engine)
    return engine


@pytest.fixture(autouse=True)
async def _dispose_engines() -> AsyncIterator[None]:
    yield
    while _engines:
        await _engines.pop().dispose()


async def _open(url: str) -> tuple[SqlUnitOfWorkFactory, SqlOutboxStore, ManualClock]:
    engine = create_engine(url)
    await upgrade(engine)
    clock = ManualClock(START)
    return SqlUnitOfWorkFactory(engine, clock), SqlOutboxStore(engine), clock


async def _queue(uows: SqlUnitOfWorkFactory, *keys: str) -> list[bool]:
    async with uows() as uow:
        added = [
            await uow.outbox.add(OutgoingMessage(k, Destination.dm(BOB), f"text {k}"), START)
            for k in keys
        ]
        await uow.commit()
    return added


async def test_a_key_is_queued_once(database_url: str) -> None:
    uows, store, _ = await _open(database_url)
    assert await _queue(uows, "prompt:bob:2026-w10") == [True]
    assert await _queue(uows, "prompt:bob:2026-w10", "prompt:bob:2026-w11") == [False, True]
    assert [e.key for e in await store.entries()] == ["prompt:bob:2026-w10", "prompt:bob:2026-w11"]


async def test_a_rolled_back_command_queues_nothing(database_url: str) -> None:
    uows, store, _ = await _open(database_url)
    async with uows() as uow:
        await uow.outbox.add(OutgoingMessage("k", Destination.dm(BOB), "hello"), START)
        # leaving without commit: the command failed
    assert await store.entries() == []


async def test_concurrent_dispatchers_never_claim_the_same_row(database_url: str) -> None:
    uows, _, _ = await _open(database_url)
    await _queue(uows, *(f"k{i}" for i in range(120)))
    # Separate engines stand for separate bot instances, each with its own connections.
    stores = [SqlOutboxStore(create_engine(database_url)) for _ in range(4)]

    async def claim_all(store: SqlOutboxStore) -> list[int]:
        claimed: list[int] = []
        while batch := await store.claim(START, 7, ["console"]):
            claimed += [entry.id for entry in batch]
        return claimed

    results = await asyncio.gather(*(claim_all(s) for s in stores))
    every_claim = [entry_id for result in results for entry_id in result]
    assert len(every_claim) == 120
    assert len(set(every_claim)) == 120


async def test_a_throttled_message_waits_for_retry_after_then_goes_once(database_url: str) -> None:
    uows, store, clock = await _open(database_url)
    messenger = RecordingMessenger()
    messenger.outcomes.append(RetryLater(30, "429 Too Many Requests"))
    dispatcher = OutboxDispatcher(store, {"console": messenger}, clock)
    await _queue(uows, "k1")

    await dispatcher.drain()
    clock.advance(timedelta(seconds=29))
    await dispatcher.drain()
    assert messenger.sent == []
    clock.advance(timedelta(seconds=1))
    await dispatcher.drain()
    await dispatcher.drain()
    assert [e.key for e in messenger.sent] == ["k1"]
    (entry,) = await store.entries()
    assert entry.status is OutboxStatus.SENT
    assert entry.attempts == 2


async def test_a_permanent_refusal_is_recorded_not_retried(database_url: str) -> None:
    uows, store, clock = await _open(database_url)
    messenger = RecordingMessenger()
    messenger.outcomes.append(Failed("DMs closed (50007)"))
    dispatcher = OutboxDispatcher(store, {"console": messenger}, clock)
    await _queue(uows, "k1")
    await dispatcher.drain()
    clock.advance(timedelta(days=1))
    await dispatcher.drain()
    (entry,) = await store.entries()
    assert entry.status is OutboxStatus.FAILED
    assert entry.last_error == "DMs closed (50007)"
    assert messenger.sent == []


async def test_after_a_crash_mid_send_only_safe_platforms_resend(database_url: str) -> None:
    uows, store, clock = await _open(database_url)
    await _queue(uows, "k1")
    async with uows() as uow:
        ref = MemberRef("slack", "T1", "U1")
        await uow.outbox.add(OutgoingMessage("k2", Destination.dm(ref), "hi"), START)
        await uow.commit()
    # A dispatcher claims both rows, then its process dies before marking them.
    assert len(await store.claim(START, 10, ["console", "slack"])) == 2

    safe = RecordingMessenger(platform="console", resend_is_safe=True)
    unsafe = RecordingMessenger(platform="slack", resend_is_safe=False)
    restarted = OutboxDispatcher(store, {"console": safe, "slack": unsafe}, clock)
    assert await restarted.recover() == (0, 0)  # still within the lease: maybe still sending
    clock.advance(timedelta(minutes=6))
    assert await restarted.recover() == (1, 1)
    await restarted.drain()

    assert [e.key for e in safe.sent] == ["k1"]
    assert unsafe.sent == []
    statuses = {e.key: e.status for e in await store.entries()}
    assert statuses == {"k1": OutboxStatus.SENT, "k2": OutboxStatus.UNCERTAIN}

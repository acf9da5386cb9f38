"""Exactly once across processes: bot instances (the real bootstrap and ticker, in processes of
their own) deliver one period's check-in prompts through a rate-limited chat API on 127.0.0.1.
Every member gets one prompt: with two instances on one PostgreSQL database, and when the
sending process is killed while a send is in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.kernel.model import OutboxEntry, OutboxStatus
from storage.database import create_engine
from storage.outbox.store import SqlOutboxStore
from tests.support.fake_chat import FakeChat
from tests.support.outbox_worker import PLATFORM
from tests.support.seeding import seed_prompts
from tests.support.worker_process import WorkerProcess, write_config

ON_POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
SETTLED = {OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.UNCERTAIN}
TIMEOUT = 90.0


@pytest.fixture
async def chat() -> AsyncIterator[FakeChat]:
    server = FakeChat(rate=100, burst=10)
    await server.start()
    yield server
    await server.close()


async def _outbox_once_settled(url: str, within: float = TIMEOUT) -> list[OutboxEntry]:
    """The outbox once no row is waiting or being sent any more (checked every 0.2 s)."""
    engine = create_engine(url)
    store = SqlOutboxStore(engine)
    try:
        async with asyncio.timeout(within):
            while True:
                entries = await store.entries()
                if all(entry.status in SETTLED for entry in entries):
                    return entries
                await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


@ON_POSTGRES_ONLY
async def test_two_instances_on_one_database_send_each_member_one_prompt(
    database_url: str, chat: FakeChat, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", database_url, tick_seconds=1)
    workers = [
        await WorkerProcess.start(config, chat.url, log=tmp_path / f"worker{i}.log", rate=100)
        for i in (1, 2)
    ]
    try:
        members = (await seed_prompts(database_url, 300, platform=PLATFORM)).recipients
        await chat.wait_until(lambda c: len(c.received()) == len(members), TIMEOUT)
    finally:
        statuses = [await worker.stop() for worker in workers]

    assert statuses == [0, 0], "\n".join(w.errors() for w in workers)
    received = chat.received()
    assert sorted(received) == sorted(members)
    assert set(received.values()) == {1}
    assert {d.sender for d in chat.deliveries} == {w.pid for w in workers}
    outbox = await _outbox_once_settled(database_url, within=5)
    assert {entry.status for entry in outbox} == {OutboxStatus.SENT}


async def test_a_process_killed_mid_send_loses_nothing_and_sends_nothing_twice(
    database_url: str, tmp_path: Path
) -> None:
    chat = FakeChat(rate=200, burst=10, dedupe_nonces=True)
    await chat.start()
    config = write_config(tmp_path / "config.toml", database_url, tick_seconds=1, lease_seconds=1)
    members = (await seed_prompts(database_url, 200, platform=PLATFORM)).recipients
    chat.stall_after(60)
    try:
        first = await WorkerProcess.start(
            config, chat.url, log=tmp_path / "first.log", rate=200, resend_safe=True
        )
        await chat.wait_until(lambda c: c.stalled >= 1, TIMEOUT)
        assert await first.kill() < 0, first.errors()  # killed by SIGKILL, mid-send
        chat.resume()

        second = await WorkerProcess.start(
            config, chat.url, log=tmp_path / "second.log", rate=200, resend_safe=True
        )
        try:
            outbox = await _outbox_once_settled(database_url)
        finally:
            status = await second.stop()
    finally:
        await chat.close()

    assert status == 0, second.errors()
    assert {entry.status for entry in outbox} == {OutboxStatus.SENT}
    received = chat.received()
    assert sorted(received) == sorted(members)
    assert set(received.values()) == {1}
    assert chat.repeats_dropped >= 1  # the send cut short by the kill went again, harmlessly

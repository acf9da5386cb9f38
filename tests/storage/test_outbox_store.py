"""The outbox on SQLite and PostgreSQL: queued once per key, claimed by one dispatcher at a time,
settled after a crash without sending twice where the platform cannot drop repeats."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.model import (
    Actor,
    Destination,
    MemberRef,
    OutboxEntry,
    OutboxStatus,
    OutgoingMessage,
    Priority,
)
from bot.kernel.ports import Delivery, Failed, Pace, RetryLater
from bot.runtime.outbox import OutboxDispatcher
from storage.database import create_engine as _create_engine
from storage.database import upgrade
from storage.outbox.store import SqlOutboxStore
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.fakes import RecordingMessenger
from tests.support.plans import query_plan
from tests.support.settings import START, settings_for

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


@dataclass
class _Uninstalled(RecordingMessenger):
    """Workspace w1 has uninstalled the app: every message for it is refused for it all."""

    asked: list[str] = field(default_factory=list)

    async def send(self, entry: OutboxEntry) -> Delivery:
        self.asked.append(entry.key)
        if entry.destination.workspace.workspace_id == "w1":
            return Failed("the app is not installed", whole_workspace=True)
        return await super().send(entry)


async def test_a_workspace_gone_fails_all_its_waiting_messages_and_no_others(
    database_url: str,
) -> None:
    """The app uninstalled from w1: its first message fails for the whole workspace, so every
    other message waiting for w1 fails at once (kept, with the reason, never sent or retried);
    w2's messages go out."""
    uows, store, clock = await _open(database_url)
    messenger = _Uninstalled()
    dispatcher = OutboxDispatcher(store, {"console": messenger}, clock, concurrency=1, batch_size=1)
    other = MemberRef("console", "w2", "cem")
    async with uows() as uow:
        for k in ("k1", "k2", "k3"):
            await uow.outbox.add(OutgoingMessage(k, Destination.dm(BOB), k), START)
        await uow.outbox.add(OutgoingMessage("k4", Destination.dm(other), "k4"), START)
        await uow.commit()
    first = await dispatcher.drain()
    clock.advance(timedelta(days=1))
    second = await dispatcher.drain()
    entries = {e.key: e for e in await store.entries()}
    assert first.sent + second.sent == 1
    for key in ("k1", "k2", "k3"):
        assert entries[key].status is OutboxStatus.FAILED
        assert entries[key].last_error == "the app is not installed"
    assert entries["k4"].status is OutboxStatus.SENT
    # k1 was tried first; w1's others are failed unsent (one already claimed ahead meanwhile
    # is refused by the messenger, which asks Slack nothing for a workspace gone).
    assert messenger.asked[0] == "k1"
    assert [e.key for e in messenger.sent] == ["k4"]


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


async def _queue_for(uows: SqlUnitOfWorkFactory, *messages: tuple[str, Priority]) -> None:
    async with uows() as uow:
        for key, priority in messages:
            message = OutgoingMessage(key, Destination.dm(BOB), f"text {key}", priority=priority)
            await uow.outbox.add(message, START)
        await uow.commit()


async def test_a_claim_takes_a_concern_before_older_routine_messages(database_url: str) -> None:
    uows, store, _ = await _open(database_url)
    routine, concern = Priority.ROUTINE, Priority.CONCERN
    await _queue_for(uows, ("prompt 1", routine), ("prompt 2", routine), ("prompt 3", routine))
    await _queue_for(uows, ("concern 1", concern), ("prompt 4", routine), ("concern 2", concern))

    first = await store.claim(START, 3, ["console"])
    rest = await store.claim(START, 10, ["console"])

    assert [(e.key, e.priority) for e in first] == [
        ("concern 1", concern),
        ("concern 2", concern),
        ("prompt 1", routine),
    ]
    assert [e.key for e in rest] == ["prompt 2", "prompt 3", "prompt 4"]


async def _queue_in(uows: SqlUnitOfWorkFactory, workspace: str, *keys: str) -> None:
    """One command of `workspace` queuing a DM for each key."""
    async with uows() as uow:
        for key in keys:
            to = Destination.dm(MemberRef("console", workspace, "someone"))
            await uow.outbox.add(OutgoingMessage(key, to, f"text {key}"), START)
        await uow.commit()


async def test_one_schools_backlog_does_not_queue_another_school_behind_it(
    database_url: str,
) -> None:
    uows, store, _ = await _open(database_url)
    await _queue_in(uows, "big", *(f"big {i}" for i in range(100)))
    await _queue_in(uows, "small", "small 0", "small 1")
    await _queue_in(uows, "small", "small 2")  # a later command follows its own queue

    first = await store.claim(START, 6, ["console"])

    assert [e.key for e in first] == [
        "big 0",
        "small 0",
        "big 1",
        "small 1",
        "big 2",
        "small 2",
    ]


async def test_a_school_arriving_later_waits_only_for_turns_still_waiting(
    database_url: str,
) -> None:
    uows, store, _ = await _open(database_url)
    await _queue_in(uows, "big", *(f"big {i}" for i in range(100)))
    sent = await store.claim(START, 60, ["console"])
    await store.mark_sent([e.id for e in sent], START)

    await _queue_in(uows, "small", "small 0")
    await _queue_in(uows, "big", "big 100")  # after the rest of its own queue

    keys = [e.key for e in await store.claim(START, 100, ["console"])]
    assert keys[:3] == ["big 60", "small 0", "big 61"]
    assert keys[-1] == "big 100"
    assert len(keys) == 42


async def test_a_school_keeps_its_own_order_across_commands(database_url: str) -> None:
    uows, store, _ = await _open(database_url)
    await _queue_in(uows, "w", "first")
    await _queue_in(uows, "w", "second", "third")
    keys = [e.key for e in await store.claim(START, 10, ["console"])]
    assert keys == ["first", "second", "third"]


async def test_the_claim_reads_its_order_off_an_index(database_url: str) -> None:
    uows, _, _ = await _open(database_url)
    await _queue_for(uows, *((f"k{i}", Priority(i % 2)) for i in range(50)))
    engine = create_engine(database_url)
    seen: list[tuple[str, object]] = []

    def record(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        if sql.lstrip().upper().startswith("UPDATE OUTBOX"):
            seen.append((sql, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    assert len(await SqlOutboxStore(engine).claim(START, 5, ["console"])) == 5
    event.remove(engine.sync_engine, "before_cursor_execute", record)
    [(sql, params)] = seen
    plan = await query_plan(engine, sql, params)
    # the waiting rows' partial index, or the claim's order index (SQLite may take either)
    assert "ix_outbox_pending" in plan or "ix_outbox_claim" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # SQLite sorts no due row
    assert "Sort" not in plan, plan  # nor does PostgreSQL


async def test_a_message_finds_its_turn_through_indexes(database_url: str) -> None:
    uows, _, _ = await _open(database_url)
    await _queue_in(uows, "big", *(f"big {i}" for i in range(50)))
    engine = create_engine(database_url)
    seen: list[tuple[str, object]] = []

    def record(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        if "turn" in sql and sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    await _queue_in(SqlUnitOfWorkFactory(engine, ManualClock(START)), "small", "small 0")
    event.remove(engine.sync_engine, "before_cursor_execute", record)
    [(sql, params)] = seen
    plan = await query_plan(engine, sql, params)
    assert "ix_outbox_workspace_turn" in plan, plan
    assert "ix_outbox_claim" in plan or "ix_outbox_pending" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    assert "Sort" not in plan, plan


async def test_text_is_appended_to_a_waiting_message_only_and_within_its_limit(
    database_url: str,
) -> None:
    uows, store, _ = await _open(database_url)
    await _queue(uows, "gathering", "claimed")
    assert [e.key for e in await store.claim(START, 1, ["console"])] == ["gathering"]
    await store.release([1], START, "put back")
    assert [e.key for e in await store.claim(START, 1, ["console"])] == ["gathering"]
    claimed = len("text claimed")

    async with uows() as uow:
        assert await uow.outbox.append("claimed", " and more", [], 100)
        assert await uow.outbox.append("claimed", " and more", [], claimed + 18)
        assert not await uow.outbox.append("claimed", "!", [], claimed + 18)  # full
        assert not await uow.outbox.append("gathering", " more", [], 100)  # being sent
        assert not await uow.outbox.append("nobody", " more", [], 100)
        await uow.commit()

    texts = {e.key: e.text for e in await store.entries()}
    assert texts == {"gathering": "text gathering", "claimed": "text claimed and more and more"}


async def test_appends_from_two_commands_at_once_both_land(database_url: str) -> None:
    uows, store, _ = await _open(database_url)
    await _queue(uows, "gathering")
    # Separate engines stand for separate bot instances, each with its own connections.
    other = SqlUnitOfWorkFactory(create_engine(database_url), ManualClock(START))
    first_added = asyncio.Event()

    async def append(factory: SqlUnitOfWorkFactory, text: str, wait: bool) -> None:
        async with factory() as uow:
            if wait:
                await first_added.wait()
            assert await uow.outbox.append("gathering", text, [], 1000)
            if not wait:
                first_added.set()
                await asyncio.sleep(0.2)  # the other append waits for this one's lock
            await uow.commit()

    await asyncio.gather(append(uows, " one", False), append(other, " two", True))

    [entry] = await store.entries()
    assert entry.text == "text gathering one two"


async def test_concerns_one_member_sends_at_once_from_two_instances_all_reach_the_moderator(
    database_url: str,
) -> None:
    clock = ManualClock(START)
    messengers = [RecordingMessenger(), RecordingMessenger()]
    settings = settings_for(database_url, moderators=["console:morgan"])
    apps = [await bootstrap(settings, clock, {"console": m}) for m in messengers]
    try:
        ada = actor("w1", "Ada")
        assert (await apps[0].bus.handle_text("/flag the first", ada)).ok
        lines = [f"/flag worry {n}" for n in range(12)]
        replies = await asyncio.gather(
            *(apps[n % 2].bus.handle_text(line, ada) for n, line in enumerate(lines))
        )
        assert all(r.ok for r in replies), [r.text for r in replies]
        clock.advance(timedelta(minutes=10))
        for app in apps:
            await app.due.deliver()
    finally:
        for app in apps:
            await app.close()

    to_morgan = [e.text for m in messengers for e in m.sent if e.destination.target == "morgan"]
    assert len(to_morgan) == 2, to_morgan  # the first at once, the others gathered in one
    assert sorted(re.findall(r"worry (\d+)", "".join(to_morgan)), key=int) == [
        str(n) for n in range(12)
    ]


async def test_a_restart_delivers_what_a_crash_left_mid_send(tmp_path: Path) -> None:
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    clock = ManualClock(START)
    first = await bootstrap(settings, clock, {"console": RecordingMessenger()})
    assert (await first.bus.handle_text("/circle list", _morgan())).ok
    await _queue_one(first)
    assert len(await first.outbox.claim(clock.now(), 10, ["console"])) == 1  # then it dies
    await first.close()

    clock.advance(timedelta(minutes=10))
    messenger = RecordingMessenger()
    second = await bootstrap(settings, clock, {"console": messenger})
    await second.due.deliver()
    await second.close()
    assert [e.text for e in messenger.sent] == ["hello"]
    statuses = [e.status for e in await second.outbox.entries()]
    assert statuses == [OutboxStatus.SENT]


def _morgan() -> Actor:
    return actor("w1", "Morgan", moderator=True)


async def _queue_one(app: App) -> None:
    async with SqlUnitOfWorkFactory(app.engine, ManualClock(START))() as uow:
        ref = _morgan().ref
        await uow.outbox.add(OutgoingMessage.notice(Destination.dm(ref), "hello"), START)
        await uow.commit()


async def test_by_default_a_dead_instances_claim_goes_out_again_within_a_minute(
    tmp_path: Path,
) -> None:
    """Discord drops a repeat (same nonce) for a few minutes only, so another instance resends
    a dead one's claim well within them: its settling, every half lease, needs no tick."""
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    clock = ManualClock(START)
    dead = await bootstrap(settings, clock, {"console": RecordingMessenger()})
    await _queue_one(dead)
    assert len(await dead.outbox.claim(clock.now(), 10, ["console"])) == 1  # then it is killed
    messenger = RecordingMessenger()
    survivor = await bootstrap(settings, clock, {"console": messenger})
    try:
        every = survivor.due.settle_every
        clock.advance(timedelta(seconds=every))
        await survivor.due.settle_stale()
        assert messenger.sent == []  # maybe still sending: within its lease
        clock.advance(timedelta(seconds=every))
        await survivor.due.settle_stale()
        clock.advance(timedelta(seconds=every))
        await survivor.due.settle_stale()  # the first check past the lease
        assert [e.text for e in messenger.sent] == ["hello"]
        assert clock.now() - START <= timedelta(minutes=1)
    finally:
        await survivor.close()
        await dead.close()


async def test_instances_book_a_platforms_sends_one_after_another(database_url: str) -> None:
    await _open(database_url)
    # Separate engines stand for separate bot instances, each with its own connections.
    first, second = (SqlOutboxStore(create_engine(database_url)) for _ in range(2))

    at_once = await first.reserve("discord", 100, 50.0)
    next_up = await second.reserve("discord", 50, 50.0)
    other_platform = await second.reserve("slack", 10, 1.0)

    assert at_once == 0.0
    # after the first's 100 sends at 50 a second (less the moments between the two bookings)
    assert 1.5 < next_up <= 2.0
    assert other_platform == 0.0


async def test_a_429_one_instance_hears_holds_every_instances_bookings(
    database_url: str,
) -> None:
    await _open(database_url)
    first, second = (SqlOutboxStore(create_engine(database_url)) for _ in range(2))

    await first.hold("discord", 30.0)
    await first.hold("discord", 5.0)  # a shorter one ends no hold

    assert 29.0 < await second.reserve("discord", 1, 50.0) <= 30.0
    assert await second.reserve("slack", 1, 1.0) == 0.0


async def test_instances_booking_at_once_never_overlap(database_url: str) -> None:
    await _open(database_url)
    stores = [SqlOutboxStore(create_engine(database_url)) for _ in range(3)]

    waits = await asyncio.gather(
        *(store.reserve("discord", 50, 50.0) for store in stores for _ in range(4))
    )

    # Twelve one-second bookings, each after the one before: waits 0, ~1, ~2, ... ~11 s.
    assert [round(wait) for wait in sorted(waits)] == list(range(12))


async def test_instances_take_turns_in_a_channel_and_a_held_route_waits_alone(
    database_url: str,
) -> None:
    await _open(database_url)
    first, second = (SqlOutboxStore(create_engine(database_url)) for _ in range(2))
    channel = [Pace("slack:T1:channel:C1", 1.0)]
    elsewhere = [Pace("slack:T1:channel:C2", 1.0)]

    mine = await first.plan([channel, channel, elsewhere], within=2.0)
    theirs = await second.plan([channel, channel, channel], within=2.0)
    await first.hold("discord:route:D1", 30.0)
    held = await second.plan([[Pace("discord:route:D1")], [Pace("discord:route:D2")]], 2.0)

    assert [round(wait) for wait in mine] == [0, 1, 0]  # one post a second in C1; C2 at once
    # after the first's two: the one at 2 s is booked, the two past the horizon queue behind it
    assert [round(wait) for wait in theirs] == [2, 3, 4]
    assert 29.0 < held[0] <= 30.0
    assert held[1] == 0.0
    again = await first.plan([channel], within=2.0)
    assert round(again[0]) == 3  # only the one within the horizon was booked

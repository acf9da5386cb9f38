"""What the Slack adapter keeps in the database, on SQLite and PostgreSQL: buttons under queued
messages, sends whose outcome is unknown, members DMs cannot reach, platform deliveries already
handled, and the migration that adds them."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from adapters.clock import ManualClock
from bot.kernel.model import Action, Destination, NewMember, OutboxStatus, OutgoingMessage
from storage.database import create_engine as _create_engine
from storage.database import upgrade
from storage.outbox.store import SqlOutboxStore
from storage.seen_events import SqlSeenEvents
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.old_schema import OUTBOX, at_revision_with_ada, migrate
from tests.support.settings import START
from tests.support.storage_people import HERE, add_members

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
ADA = HERE.member("ada")
BUTTONS = (
    Action("Yes, we met", "/met yes 12", "primary"),
    Action("Not yet", "/met notyet 12"),
    Action("End pairing", "/endpairing 12", "danger"),
)

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


@pytest.fixture
async def seen_engine(engine: AsyncEngine) -> AsyncEngine:
    """The migrated database with no sightings left over (PostgreSQL's is shared by the session)."""
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM seen_events"))
    return engine


async def _queue(uows: SqlUnitOfWorkFactory, *messages: OutgoingMessage) -> None:
    async with uows() as uow:
        assert await uow.outbox.add_all(messages, START) == len(messages)
        await uow.commit()


async def _seen_keys(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT key FROM seen_events ORDER BY key"))
        return list(rows.scalars())


async def test_buttons_are_claimed_as_queued_in_order(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    to_ada = Destination.dm(ADA)
    await _queue(
        uows,
        OutgoingMessage("ask:12", to_ada, "Did you meet?", actions=BUTTONS),
        OutgoingMessage("plain", to_ada, "Hello"),
    )
    async with uows() as uow:
        assert await uow.outbox.add(
            OutgoingMessage("one", to_ada, "Hi", actions=BUTTONS[1:]), START
        )
        await uow.commit()

    claimed = await SqlOutboxStore(engine).claim(START, 10, ["slack"])
    assert [(e.key, e.actions) for e in claimed] == [
        ("ask:12", BUTTONS),
        ("plain", ()),
        ("one", BUTTONS[1:]),
    ]


async def test_an_uncertain_send_is_kept_and_never_claimed_again(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    await _queue(uows, OutgoingMessage("k1", Destination.dm(ADA), "hello"))
    store = SqlOutboxStore(engine)
    (entry,) = await store.claim(START, 10, ["slack"])

    await store.mark_uncertain(entry.id, "connection dropped after the request was sent")
    assert await store.claim(START + DAY, 10, ["slack"]) == []
    (kept,) = await store.entries()
    assert kept.status is OutboxStatus.UNCERTAIN
    assert kept.last_error == "connection dropped after the request was sent"
    assert kept.attempts == 1
    assert kept.sent_at is None


async def test_unreachable_members_round_trip(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    async with uows() as uow:
        found = await uow.members.get(ada.ref)
        assert found is not None
        assert found.unreachable_since is None
        assert found.unreachable_reason is None
        found.unreachable_since, found.unreachable_reason = START + HOUR, "cannot_dm_bot " * 20
        await uow.members.save(found)
        await uow.commit()
    async with uows() as uow:
        again = await uow.members.get(ada.ref)
        untouched = await uow.members.get(bob.ref)
        assert again is not None
        assert untouched is not None
        assert again.unreachable_since == START + HOUR
        assert again.unreachable_reason == ("cannot_dm_bot " * 20)[:200]
        assert untouched.unreachable_since is None
        # Told at their next command: cleared.
        again.unreachable_since = again.unreachable_reason = None
        await uow.members.save(again)
        await uow.commit()
    async with uows() as uow:
        cleared = await uow.members.get(ada.ref)
    assert cleared is not None
    assert (cleared.unreachable_since, cleared.unreachable_reason) == (None, None)


async def test_a_new_member_can_be_added_unreachable(uows: SqlUnitOfWorkFactory) -> None:
    async with uows() as uow:
        await uow.members.add(
            NewMember(ADA, "Ada", unreachable_since=START, unreachable_reason="user_disabled")
        )
        await uow.commit()
    async with uows() as uow:
        found = await uow.members.get(ADA)
    assert found is not None
    assert (found.unreachable_since, found.unreachable_reason) == (START, "user_disabled")


async def test_an_event_is_first_seen_once_in_every_instance(
    seen_engine: AsyncEngine, database_url: str
) -> None:
    seen = SqlSeenEvents(seen_engine)
    assert await seen.first_sighting("slack:T1:Ev1", START) is True
    assert await seen.first_sighting("slack:T1:Ev1", START + MINUTE) is False
    assert await seen.first_sighting("slack:T1:Ev2", START + MINUTE) is True
    other = SqlSeenEvents(create_engine(database_url))
    assert await other.first_sighting("slack:T1:Ev1", START + 2 * MINUTE) is False
    assert await _seen_keys(seen_engine) == ["slack:T1:Ev1", "slack:T1:Ev2"]


async def test_two_instances_racing_on_a_key_see_it_first_exactly_once(
    seen_engine: AsyncEngine, database_url: str
) -> None:
    # Separate engines stand for separate bot instances, each with its own connections; each
    # instance also gets every delivery twice at once (a retry overtaking the original).
    instances = [SqlSeenEvents(create_engine(database_url)) for _ in range(2)]
    keys = [f"slack:T1:Ev{i}" for i in range(25)]
    calls = [(key, seen) for key in keys for seen in instances * 2]

    results = await asyncio.gather(*(seen.first_sighting(key, START) for key, seen in calls))

    firsts = Counter(key for (key, _), first in zip(calls, results, strict=True) if first)
    assert firsts == Counter(keys)
    assert await _seen_keys(seen_engine) == sorted(keys)


async def test_old_sightings_are_forgotten_at_most_once_an_hour(seen_engine: AsyncEngine) -> None:
    seen = SqlSeenEvents(seen_engine, keep=DAY)
    assert await seen.first_sighting("a", START) is True  # the first call purges (nothing yet)
    assert await seen.first_sighting("b", START + DAY) is True  # purges before START: none
    # "a" is over a day old now, but the last purge was under an hour ago.
    assert await seen.first_sighting("c", START + DAY + 59 * MINUTE) is True
    assert await _seen_keys(seen_engine) == ["a", "b", "c"]

    assert await seen.first_sighting("d", START + DAY + HOUR) is True
    assert await _seen_keys(seen_engine) == ["b", "c", "d"]
    # Forgotten, "a" is a first sighting again; "b", an hour old, is still remembered.
    assert await seen.first_sighting("a", START + DAY + HOUR) is True
    assert await seen.first_sighting("b", START + DAY + HOUR) is False


async def test_0005_upgrades_a_database_in_use_and_downgrades_without_losing_rows(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await at_revision_with_ada(engine, "0004")
    async with engine.begin() as connection:
        await connection.execute(
            text(OUTBOX).bindparams(bindparam("now", type_=UTCDateTime())),
            {"now": START, "key": "old"},
        )
    await upgrade(engine)

    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    store = SqlOutboxStore(engine)
    async with uows() as uow:
        ada = await uow.members.get(ADA)
        circle = await uow.circles.get_by_name(HERE, "algebra")
        assert ada is not None
        assert circle is not None
        assert (ada.unreachable_since, ada.unreachable_reason) == (None, None)
        # The new columns did not copy (and so empty) the tables that others point at.
        assert await uow.circles.membership(circle.id, ada.id) is not None
        ada.unreachable_since, ada.unreachable_reason = START, "cannot_dm_bot"
        await uow.members.save(ada)
        await uow.outbox.add(
            OutgoingMessage("new", Destination.dm(ADA), "hi", actions=BUTTONS), START
        )
        await uow.commit()
    claimed = await store.claim(START, 10, ["slack"])
    assert [(e.key, e.actions) for e in claimed] == [("old", ()), ("new", BUTTONS)]
    assert await SqlSeenEvents(engine).first_sighting("slack:T1:Ev1", START) is True
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
        )
    assert differences == []

    async with engine.begin() as connection:
        await connection.run_sync(migrate, "downgrade", "0004")
        kept = await connection.execute(text("SELECT count(*) FROM memberships"))
        assert kept.scalar_one() == 1
        queued = await connection.execute(text("SELECT key FROM outbox ORDER BY id"))
        assert list(queued.scalars()) == ["old", "new"]
        members = await connection.run_sync(
            lambda c: {column["name"] for column in inspect(c).get_columns("members")}
        )
        assert "unreachable_since" not in members
        assert "unreachable_reason" not in members
        assert "is_bot" in members
        outbox = await connection.run_sync(
            lambda c: {column["name"] for column in inspect(c).get_columns("outbox")}
        )
        assert "actions" not in outbox
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert "seen_events" not in tables
        assert "kudos" in tables
    await upgrade(engine)
    async with uows() as uow:
        again = await uow.members.get(ADA)
        assert again is not None
        assert again.unreachable_since is None
    assert [e.actions for e in await store.entries()] == [(), ()]

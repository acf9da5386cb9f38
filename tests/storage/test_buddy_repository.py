"""Pairings, the /findbuddy queue, rounds and blocks on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from adapters.clock import ManualClock
from bot.kernel.model import (
    BuddyRequest,
    Cadence,
    CircleRole,
    MeetingAnswer,
    Member,
    NewBuddyRequest,
    NewCircle,
    NewMembership,
    NewPairing,
    NewPairingRound,
    NewSeat,
    Pairing,
    PairingKind,
    PairingRound,
    RequestStatus,
    SeatRole,
    WorkspaceRef,
)
from storage.buddies.queue import queue_lock_key
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.old_schema import at_revision_with_ada, migrate
from tests.support.settings import START
from tests.support.storage_people import HERE, THERE, add_members

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _pairing(
    *members: Member,
    kind: PairingKind = PairingKind.ON_DEMAND,
    at: timedelta = timedelta(),
    roles: tuple[SeatRole, ...] = (),
    subject: str | None = None,
    round_: PairingRound | None = None,
) -> NewPairing:
    seats = [
        NewSeat(m, roles[i] if roles else SeatRole.PEER, ask_at=START + at + 3 * DAY)
        for i, m in enumerate(members)
    ]
    pairing = NewPairing(members[0].ref.workspace, kind, seats, START + at, subject=subject)
    if round_ is not None:
        pairing.circle_id, pairing.round_id = round_.circle_id, round_.id
    return pairing


async def _add(uows: SqlUnitOfWorkFactory, *pairings: NewPairing) -> list[Pairing]:
    async with uows() as uow:
        added = [await uow.buddies.add_pairing(pairing) for pairing in pairings]
        await uow.commit()
    return added


async def _end(uows: SqlUnitOfWorkFactory, pairing: Pairing, at: timedelta) -> None:
    pairing.ended_at, pairing.end_reason = START + at, "done"
    async with uows() as uow:
        await uow.buddies.save_pairing(pairing)
        await uow.commit()


async def test_a_pairing_round_trips_with_its_seats_and_answers(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    new = _pairing(ada, bob, subject="algebra")
    new.seats[0].reasons = "both algebra; evenings overlap"
    async with uows() as uow:
        pairing = await uow.buddies.add_pairing(new)
        await uow.commit()
    # What was added comes back as it was, with the ids storage gave it and its seats.
    assert (pairing.workspace, pairing.kind, pairing.created_at, pairing.subject) == (
        new.workspace,
        new.kind,
        new.created_at,
        new.subject,
    )
    assert [(s.member, s.role, s.reasons, s.ask_at) for s in pairing.seats] == [
        (s.member, s.role, s.reasons, s.ask_at) for s in new.seats
    ]
    assert isinstance(pairing.id, int)
    assert all(isinstance(seat.id, int) for seat in pairing.seats)

    async with uows() as uow:
        (loaded,) = await uow.buddies.open_pairings_of(ada.id)
        assert loaded == pairing
        assert loaded.created_at.tzinfo is not None
        loaded.seats[0].answer = MeetingAnswer.MET
        loaded.seats[0].answered_at = START + 2 * DAY
        loaded.seats[0].ask_at = None
        loaded.seats[1].answer = MeetingAnswer.NOT_YET
        loaded.seats[1].ask_at = START + 5 * DAY
        await uow.buddies.save_pairing(loaded)
        await uow.commit()

    async with uows() as uow:
        again = await uow.buddies.latest_pairing_between(bob.id, ada.id)
        assert again == loaded
        assert again.seats[0].answered_at == START + 2 * DAY
        assert again.seats[0].answered_at.tzinfo is not None
        assert again.seat_of(bob.id) == loaded.seats[1]
        again.ended_at, again.end_reason = START + 6 * DAY, "bob ended it"
        await uow.buddies.save_pairing(again)
        await uow.commit()

    async with uows() as uow:
        assert await uow.buddies.open_pairings_of(ada.id) == []
        ended = await uow.buddies.latest_pairing_between(ada.id, bob.id)
        assert ended == again
        assert ended is not None
        assert not ended.is_open
        assert await uow.buddies.open_on_demand_member_ids(HERE) == set()


async def test_pairings_come_newest_first_and_only_where_both_sit(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    first, second, third = await _add(
        uows,
        _pairing(ada, bob, kind=PairingKind.ROUND),
        _pairing(ada, cat, kind=PairingKind.ROUND, at=HOUR),
        _pairing(ada, bob, kind=PairingKind.ROUND, at=2 * HOUR),
    )
    await _end(uows, third, 3 * HOUR)
    async with uows() as uow:
        assert [p.id for p in await uow.buddies.open_pairings_of(ada.id)] == [
            second.id,
            first.id,
        ]
        assert [p.id for p in await uow.buddies.open_pairings_of(cat.id)] == [second.id]
        latest = await uow.buddies.latest_pairing_between(ada.id, bob.id)
        assert latest is not None
        assert latest.id == third.id
        assert await uow.buddies.latest_pairing_between(bob.id, cat.id) is None


async def test_one_open_on_demand_pairing_per_member(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    (first,) = await _add(uows, _pairing(ada, bob))

    async with uows() as uow:
        with pytest.raises(IntegrityError):
            await uow.buddies.add_pairing(_pairing(cat, ada, at=HOUR))

    # A round pairing is no on-demand pairing: that is allowed.
    await _add(uows, _pairing(ada, cat, kind=PairingKind.ROUND, at=HOUR))
    async with uows() as uow:
        assert await uow.buddies.open_on_demand_member_ids(HERE) == {ada.id, bob.id}

    # Ending the first frees both, within one transaction.
    async with uows() as uow:
        first.ended_at, first.end_reason = START + 2 * HOUR, "moved on"
        await uow.buddies.save_pairing(first)
        await uow.buddies.add_pairing(_pairing(cat, ada, at=2 * HOUR))
        await uow.commit()
    async with uows() as uow:
        assert await uow.buddies.open_on_demand_member_ids(HERE) == {ada.id, cat.id}
        assert await uow.buddies.open_on_demand_member_ids(THERE) == set()


async def test_one_waiting_request_per_member_in_queue_order(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    (eve,) = await add_members(uows, "eve", workspace=THERE)

    def request(member: Member, at: timedelta, lasts: timedelta = DAY) -> NewBuddyRequest:
        return NewBuddyRequest(member, START + at, START + at + lasts, subject="algebra")

    async with uows() as uow:
        await uow.buddies.add_request(request(bob, HOUR))
        first = await uow.buddies.add_request(request(ada, timedelta(), lasts=3 * DAY))
        await uow.buddies.add_request(request(eve, 2 * HOUR))
        await uow.commit()
    assert isinstance(first.id, int)

    async with uows() as uow:
        with pytest.raises(IntegrityError):
            await uow.buddies.add_request(request(ada, 3 * HOUR))

    async with uows() as uow:
        assert [r.member.display_name for r in await uow.buddies.waiting(HERE)] == ["Ada", "Bob"]
        mine = await uow.buddies.waiting_of(ada.id)
        assert mine == first
        assert mine is not None
        assert mine.expires_at.tzinfo is not None
        mine.status = RequestStatus.MATCHED
        await uow.buddies.save_request(mine)
        again = await uow.buddies.add_request(request(ada, 4 * HOUR))
        await uow.commit()

    async with uows() as uow:
        assert await uow.buddies.waiting_of(ada.id) == again
        assert [r.member.display_name for r in await uow.buddies.waiting(HERE)] == ["Bob", "Ada"]
        # Every workspace; the first due first; not yet due and no longer waiting left out.
        expired = await uow.buddies.expired_requests(START + DAY + 2 * HOUR, 10)
        assert [r.member.display_name for r in expired] == ["Bob", "Eve"]
        assert [r.id for r in await uow.buddies.expired_requests(START + 9 * DAY, 1)] == [
            expired[0].id
        ]


async def test_a_round_happens_once_per_period(uows: SqlUnitOfWorkFactory) -> None:
    async with uows() as uow:
        circle = await uow.circles.add(NewCircle(HERE, "Algebra", created_at=START))
        added = await uow.buddies.add_round(NewPairingRound(circle.id, "2026-W10", START))
        assert added is not None
        assert isinstance(added.id, int)
        assert await uow.buddies.add_round(NewPairingRound(circle.id, "2026-W10", START)) is None
        # The refused insert left the transaction usable.
        await uow.circles.add(NewCircle(HERE, "Physics", created_at=START))
        await uow.commit()
    async with uows() as uow:
        assert await uow.buddies.add_round(NewPairingRound(circle.id, "2026-W10", START)) is None
        assert (
            await uow.buddies.add_round(NewPairingRound(circle.id, "2026-W11", START)) is not None
        )
        await uow.commit()
        assert await uow.circles.get_by_name(HERE, "physics") is not None


async def test_blocks_count_either_way(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat, dan = await add_members(uows, "ada", "bob", "cat", "dan")
    ids = [m.id for m in (ada, bob, cat, dan)]
    async with uows() as uow:
        assert await uow.buddies.add_block(ids[1], ids[0], START)
        assert await uow.buddies.add_block(ids[2], ids[3], START)
        assert not await uow.buddies.add_block(ids[1], ids[0], START)
        assert await uow.buddies.add_block(ids[0], ids[1], START)  # the other way is its own
        await uow.commit()
    async with uows() as uow:
        assert await uow.buddies.blocked_pairs(ids) == {(ids[0], ids[1]), (ids[2], ids[3])}
        assert await uow.buddies.blocked_pairs([ids[0], ids[1], ids[2]]) == {(ids[0], ids[1])}
        assert await uow.buddies.blocked_pairs([ids[0], ids[2]]) == set()
        assert await uow.buddies.remove_block(ids[2], ids[3])
        assert not await uow.buddies.remove_block(ids[2], ids[3])
        assert not await uow.buddies.remove_block(ids[3], ids[2])
        await uow.commit()
    async with uows() as uow:
        assert await uow.buddies.blocked_pairs(ids) == {(ids[0], ids[1])}


async def test_open_mentee_counts(uows: SqlUnitOfWorkFactory) -> None:
    mia, ned, ada, bob, cat, dan = await add_members(uows, "mia", "ned", "ada", "bob", "cat", "dan")
    mentor, mentee, peer = SeatRole.MENTOR, SeatRole.MENTEE, SeatRole.PEER
    group = _pairing(mia, ada, bob, kind=PairingKind.ROUND, roles=(mentor, mentee, mentee))
    to_end = _pairing(mia, cat, kind=PairingKind.ROUND, roles=(mentor, mentee))
    as_peer = _pairing(ned, dan, mia, kind=PairingKind.ROUND, roles=(peer, mentee, peer))
    _, ended, *_ = await _add(
        uows, group, to_end, as_peer, _pairing(ned, cat, roles=(mentor, mentee))
    )
    await _end(uows, ended, DAY)
    async with uows() as uow:
        counts = await uow.buddies.open_mentee_counts([mia.id, ned.id, ada.id])
        assert counts == {mia.id: 2, ned.id: 1, ada.id: 0}
        assert await uow.buddies.open_mentee_counts([]) == {}


async def test_round_partners_cover_only_the_last_rounds(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat, dan = await add_members(uows, "ada", "bob", "cat", "dan")
    a, b, c, d = (m.id for m in (ada, bob, cat, dan))
    async with uows() as uow:
        circle = await uow.circles.add(NewCircle(HERE, "Algebra", created_at=START))
        other = await uow.circles.add(NewCircle(HERE, "Physics", created_at=START))
        rounds = []
        for week in range(3):
            round_ = NewPairingRound(circle.id, f"2026-W{10 + week}", START + week * 7 * DAY)
            rounds.append(await uow.buddies.add_round(round_))
        elsewhere = await uow.buddies.add_round(NewPairingRound(other.id, "2026-W12", START))
        assert all(r is not None and isinstance(r.id, int) for r in rounds)
        assert elsewhere is not None

        def in_round(round_: PairingRound | None, *members: Member) -> NewPairing:
            assert round_ is not None
            return _pairing(
                *members, kind=PairingKind.ROUND, at=round_.ran_at - START, round_=round_
            )

        for pairing in (
            in_round(rounds[0], ada, bob),
            in_round(rounds[0], cat, dan),
            in_round(rounds[1], ada, cat),
            in_round(rounds[2], ada, bob, dan),
            in_round(elsewhere, bob, cat),
        ):
            await uow.buddies.add_pairing(pairing)
        await uow.commit()

    async with uows() as uow:
        last_two = await uow.buddies.round_partners(circle.id, 2)
        assert last_two == {(a, c), (a, b), (a, d), (b, d)}
        assert await uow.buddies.round_partners(circle.id, 1) == {(a, b), (a, d), (b, d)}
        everything = await uow.buddies.round_partners(circle.id, 10)
        assert everything == last_two | {(c, d)}
        assert await uow.buddies.round_partners(other.id, 10) == {(b, c)}
        assert await uow.buddies.round_partners(circle.id, 0) == set()
        (open_in_round,) = await uow.buddies.open_round_pairings(other.id)
        assert {s.member.id for s in open_in_round.seats} == {b, c}


async def test_recent_on_demand_partners_are_each_members_last_few(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat, dan, eve = await add_members(uows, "ada", "bob", "cat", "dan", "eve")
    a, b, c, d, e = (m.id for m in (ada, bob, cat, dan, eve))
    for hours, new in enumerate(
        [_pairing(ada, bob), _pairing(ada, cat), _pairing(ada, dan), _pairing(eve, bob)]
    ):
        new.created_at = START + hours * HOUR
        (pairing,) = await _add(uows, new)
        await _end(uows, pairing, hours * HOUR + HOUR / 2)
    await _add(uows, _pairing(bob, cat, kind=PairingKind.ROUND, at=9 * HOUR))
    open_one = _pairing(ada, eve, at=10 * HOUR)
    await _add(uows, open_one)
    async with uows() as uow:
        recent = uow.buddies.recent_on_demand_partners
        assert await recent([a], 2) == {(a, e), (a, d)}
        assert await recent([a], 3) == {(a, e), (a, d), (a, c)}
        assert await recent([b], 1) == {(b, e)}
        assert await recent([a, b], 1) == {(a, e), (b, e)}
        assert await recent([c], 5) == {(a, c)}
        assert await recent([a], 0) == set()


async def test_seats_to_ask_oldest_first_from_open_pairings(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat, dan, eve, fay = await add_members(uows, "ada", "bob", "cat", "dan", "eve", "fay")
    early = _pairing(ada, bob)
    early.seats[1].ask_at = START + HOUR
    early.seats[0].ask_at = START + 3 * HOUR
    later = _pairing(cat, dan, kind=PairingKind.ROUND)
    later.seats[0].ask_at = START + 2 * HOUR
    later.seats[1].ask_at = None  # answered
    ended = _pairing(eve, fay)
    ended.seats[0].ask_at = START
    not_yet = _pairing(fay, ada, kind=PairingKind.ROUND)
    not_yet.seats[0].ask_at = START + 5 * HOUR
    not_yet.seats[1].ask_at = START + 5 * HOUR
    stored = await _add(uows, early, later, ended, not_yet)
    await _end(uows, stored[2], HOUR)

    async with uows() as uow:
        due = await uow.buddies.seats_to_ask(START + 4 * HOUR, 10)
        assert [(p.id, s.member.display_name) for p, s in due] == [
            (stored[0].id, "Bob"),
            (stored[1].id, "Cat"),
            (stored[0].id, "Ada"),
        ]
        for pairing, seat in due:
            assert any(s is seat for s in pairing.seats)
            assert seat.ask_at is not None
            assert seat.ask_at.tzinfo == UTC
        assert len(await uow.buddies.seats_to_ask(START + 4 * HOUR, 2)) == 2
        assert await uow.buddies.seats_to_ask(START, 10) == []


async def test_paused_members_sit_outs_and_circles_with_cadence(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    async with uows() as uow:
        algebra = NewCircle(HERE, "Algebra", created_at=START)
        algebra.settings.cadence = Cadence.WEEKLY
        archived = NewCircle(THERE, "Old", created_at=START, archived_at=START)
        archived.settings.cadence = Cadence.MONTHLY
        weekly, _, _ = [
            await uow.circles.add(circle)
            for circle in (algebra, archived, NewCircle(HERE, "Off", created_at=START))
        ]
        monthly = NewCircle(THERE, "Physics", created_at=START)
        monthly.settings.cadence = Cadence.MONTHLY
        await uow.circles.add(monthly)
        membership = await uow.circles.add_membership(
            NewMembership(weekly.id, ada, CircleRole.MENTEE, joined_at=START, sit_outs=1)
        )
        ada.paused_until = START + 7 * DAY
        await uow.members.save(ada)
        await uow.commit()

    async with uows() as uow:
        assert [c.name for c in await uow.circles.with_cadence()] == ["Algebra", "Physics"]
        assert await uow.circles.get(weekly.id) == weekly
        assert await uow.circles.get(-1) is None
        loaded = await uow.members.by_ids([bob.id, ada.id, -1])
        assert [m.display_name for m in loaded] == ["Ada", "Bob"]
        assert loaded[0].paused_until == START + 7 * DAY
        assert loaded[0].is_paused(START)
        assert await uow.members.by_ids([]) == []
        found = await uow.circles.membership(weekly.id, ada.id)
        assert found is not None
        assert found.sit_outs == 1
        membership.sit_outs = 2
        await uow.circles.save_membership(membership)
        await uow.commit()
    async with uows() as uow:
        (only,) = await uow.circles.memberships(weekly.id)
        assert only.sit_outs == 2
        assert only.member.paused_until == START + 7 * DAY


async def _wait_until_someone_waits_for_a_lock(engine: AsyncEngine, key: int | None = None) -> None:
    """Watch the server until a session waits for a lock (the queue's advisory lock, when a key
    is given). Only the server knows, so it is asked; no sleep decides the order of events."""
    query = "SELECT count(*) FROM pg_locks WHERE NOT granted"
    if key is not None:
        # pg_locks shows a 64-bit advisory key as two 32-bit halves.
        query += (
            " AND locktype = 'advisory' AND classid::bigint = :high AND objid::bigint = :low"
            " AND objsubid = 1"
        )
    values = {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF} if key else {}
    async with asyncio.timeout(10), engine.connect() as connection:
        while not (await connection.execute(text(query), values)).scalar_one():
            await asyncio.sleep(0.01)
            await connection.rollback()  # a fresh snapshot of pg_locks each time


# On SQLite every transaction begins IMMEDIATE, so writers already take turns: these run on
# PostgreSQL only.
ON_POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@ON_POSTGRES_ONLY
async def test_lock_queue_serialises_a_workspace_on_postgres(
    database_url: str, engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    (ada,) = await add_members(uows, "ada")
    first_holds_lock, first_may_finish = asyncio.Event(), asyncio.Event()
    second_has_lock = asyncio.Event()

    async def first() -> None:
        async with uows() as uow:
            await uow.buddies.lock_queue(HERE)
            first_holds_lock.set()
            await first_may_finish.wait()
            await uow.buddies.add_request(NewBuddyRequest(ada, START, START + DAY))
            await uow.commit()

    async def second() -> list[BuddyRequest]:
        await first_holds_lock.wait()
        async with uows() as uow:
            await uow.buddies.lock_queue(HERE)
            second_has_lock.set()
            return await uow.buddies.waiting(HERE)

    async def elsewhere() -> None:
        await first_holds_lock.wait()
        async with uows() as uow:
            await uow.buddies.lock_queue(THERE)

    first_task = asyncio.create_task(first())
    second_task = asyncio.create_task(second())
    try:
        # Another workspace's queue is not held up.
        await asyncio.wait_for(elsewhere(), timeout=10)
        await _wait_until_someone_waits_for_a_lock(engine, queue_lock_key(HERE))
        assert not second_has_lock.is_set()
        assert not second_task.done()

        first_may_finish.set()
        await asyncio.wait_for(first_task, timeout=10)
        seen = await asyncio.wait_for(second_task, timeout=10)
    finally:
        first_may_finish.set()
        for task in (first_task, second_task):
            if not task.done():
                task.cancel()
    # It waited for the first to commit, so it sees what the first queued.
    assert [r.member.id for r in seen] == [ada.id]


@ON_POSTGRES_ONLY
async def test_the_expiry_job_and_a_matcher_never_both_settle_a_request_on_postgres(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    async with uows() as uow:
        await uow.buddies.add_request(NewBuddyRequest(ada, START, START + HOUR))
        await uow.buddies.add_request(NewBuddyRequest(bob, START, START + HOUR))
        await uow.commit()

    # A matcher holding the queue's requests: the expiry job passes over them.
    async with uows() as matcher:
        await matcher.buddies.lock_queue(HERE)
        assert len(await matcher.buddies.waiting(HERE)) == 2
        async with uows() as job:
            assert await asyncio.wait_for(job.buddies.expired_requests(START + DAY, 10), 10) == []

    # The job expiring Ada's request: a matcher reading the queue waits, then sees it gone.
    job_has_rows, job_may_finish = asyncio.Event(), asyncio.Event()

    async def expire() -> None:
        async with uows() as job:
            due = await job.buddies.expired_requests(START + DAY, 1)
            assert [r.member.id for r in due] == [ada.id]
            job_has_rows.set()
            await job_may_finish.wait()
            due[0].status = RequestStatus.EXPIRED
            await job.buddies.save_request(due[0])
            await job.commit()

    async def match() -> list[BuddyRequest]:
        await job_has_rows.wait()
        async with uows() as matcher:
            await matcher.buddies.lock_queue(HERE)
            return await matcher.buddies.waiting(HERE)

    job_task, matcher_task = asyncio.create_task(expire()), asyncio.create_task(match())
    try:
        await _wait_until_someone_waits_for_a_lock(engine)
        assert not matcher_task.done()
        job_may_finish.set()
        await asyncio.wait_for(job_task, 10)
        seen = await asyncio.wait_for(matcher_task, 10)
    finally:
        job_may_finish.set()
        for task in (job_task, matcher_task):
            if not task.done():
                task.cancel()
    assert [r.member.id for r in seen] == [bob.id]


def test_queue_lock_keys_are_stable_signed_64_bit_and_per_workspace() -> None:
    key = queue_lock_key(HERE)
    assert key == queue_lock_key(WorkspaceRef("slack", "T1"))
    assert -(2**63) <= key < 2**63
    assert key != queue_lock_key(THERE)
    assert key != queue_lock_key(WorkspaceRef("discord", "T1"))


async def test_0002_upgrades_a_database_in_use_and_downgrades_without_losing_rows(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await at_revision_with_ada(engine, "0001")
    await upgrade(engine)

    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    async with uows() as uow:
        ada = await uow.members.get(HERE.member("ada"))
        circle = await uow.circles.get_by_name(HERE, "algebra")
        assert ada is not None
        assert circle is not None
        assert ada.paused_until is None
        membership = await uow.circles.membership(circle.id, ada.id)
        assert membership is not None
        assert membership.sit_outs == 0

    async with engine.begin() as connection:
        await connection.run_sync(migrate, "downgrade", "0001")
        kept = await connection.execute(text("SELECT count(*) FROM memberships"))
        assert kept.scalar_one() == 1
    await upgrade(engine)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
        )
    await engine.dispose()
    assert differences == []

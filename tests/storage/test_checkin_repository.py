"""Check-ins, digests, flags, blackouts and the members' check-in columns on SQLite and
PostgreSQL, and the migration that adds them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, col, select

from adapters.clock import ManualClock
from bot.kernel.model import (
    Checkin,
    CheckinStatus,
    Circle,
    Member,
    NewBlackout,
    NewCheckin,
    NewCircle,
    NewFlag,
    NewMember,
    WorkspaceRef,
)
from storage.checkins.tables import CheckinRow
from storage.database import create_engine, upgrade
from storage.flags.tables import FlagRow
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.as_added import as_added
from tests.support.old_schema import at_revision_with_ada, migrate
from tests.support.settings import START
from tests.support.storage_people import HERE, THERE, add_members

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
BERLIN = timezone(timedelta(hours=1))


async def _circles(
    uows: SqlUnitOfWorkFactory, *names: str, workspace: WorkspaceRef = HERE
) -> list[Circle]:
    async with uows() as uow:
        circles = [
            await uow.circles.add(NewCircle(workspace, n, created_at=START, schedule_since=START))
            for n in names
        ]
        await uow.commit()
    return circles


def _checkin(
    circle: Circle,
    member: Member,
    period: str = "2026-W10",
    *,
    at: timedelta = timedelta(),
    lasts: timedelta = 2 * DAY,
    **fields: object,
) -> NewCheckin:
    checkin = NewCheckin(
        circle, member, period, START + at, START + at + lasts, ("How is it going?",)
    )
    for name, value in fields.items():
        setattr(checkin, name, value)
    return checkin


async def _add(uows: SqlUnitOfWorkFactory, *checkins: NewCheckin) -> list[Checkin]:
    """Add them; each comes back as it went in, with its id."""
    async with uows() as uow:
        added = [await uow.checkins.add(checkin) for checkin in checkins]
        await uow.commit()
    stored = [c for c in added if c is not None]
    assert [as_added(c, NewCheckin) for c in stored] == list(checkins)
    return stored


async def test_a_checkin_round_trips_every_field_with_its_circle_and_member(
    uows: SqlUnitOfWorkFactory,
) -> None:
    (ada,) = await add_members(uows, "ada")
    (circle,) = await _circles(uows, "Algebra")
    checkin = _checkin(
        circle, ada, remind_at=START + DAY, prompted_at=(START + HOUR).astimezone(BERLIN)
    )
    checkin.questions = ("How is it going?", "Did you meet your mentees?")
    (checkin,) = await _add(uows, checkin)
    assert isinstance(checkin.id, int)

    async with uows() as uow:
        loaded = await uow.checkins.get(checkin.id)
        assert loaded == checkin
        assert loaded is not None
        assert loaded.circle == circle
        assert loaded.member == ada
        assert loaded.status is CheckinStatus.OPEN
        loaded.status = CheckinStatus.ANSWERED
        loaded.reminders_sent = 2
        loaded.remind_at = None
        loaded.answers = ("Fine", "Yes", "Nothing")
        loaded.concern = True
        loaded.answered_at = (START + 3 * DAY).astimezone(BERLIN)
        loaded.late = True
        loaded.skip_reason = "x" * 400
        await uow.checkins.save(loaded)
        await uow.commit()

    async with uows() as uow:
        again = await uow.checkins.get(checkin.id)
        assert again is not None
        assert again.skip_reason == "x" * 300  # cut to what the column holds
        loaded.skip_reason = again.skip_reason
        assert again == loaded
        for moment in (again.scheduled_at, again.closes_at, again.prompted_at, again.answered_at):
            assert moment is not None
            assert moment.tzinfo == UTC
        assert again.answered_at == START + 3 * DAY
        assert await uow.checkins.get(-1) is None


async def test_members_and_circles_keep_their_checkin_fields(uows: SqlUnitOfWorkFactory) -> None:
    (ada,) = await add_members(uows, "ada")
    (circle,) = await _circles(uows, "Algebra")
    async with uows() as uow:
        fresh = await uow.members.get(ada.ref)
        assert fresh is not None
        assert fresh.missed_checkins == 0
        assert fresh.still_in_asked_at is None
        ada.missed_checkins = 3
        ada.still_in_asked_at = (START + HOUR).astimezone(BERLIN)
        await uow.members.save(ada)
        circle.schedule_since = START + DAY
        await uow.circles.save(circle)
        await uow.commit()
    async with uows() as uow:
        loaded = await uow.members.get(ada.ref)
        assert loaded == ada
        assert loaded is not None
        assert loaded.still_in_asked_at is not None
        assert loaded.still_in_asked_at.tzinfo == UTC
        loaded_circle = await uow.circles.get(circle.id)
        assert loaded_circle == circle
        assert loaded_circle is not None
        assert loaded_circle.schedule_since == START + DAY


async def test_many_are_added_at_once_leaving_out_those_already_there(
    uows: SqlUnitOfWorkFactory,
) -> None:
    names = [f"m{i:04d}" for i in range(1_200)]  # more than one INSERT's worth
    members = await add_members(uows, *names)
    [algebra] = await _circles(uows, "Algebra")
    async with uows() as uow:
        assert await uow.checkins.add(_checkin(algebra, members[7], "2026-W10")) is not None
        added = await uow.checkins.add_all([_checkin(algebra, m, "2026-W10") for m in members])
        await uow.commit()
    assert len(added) == len(members) - 1
    assert members[7].id not in {c.member.id for c in added}
    assert len({c.id for c in added}) == len(added)
    async with uows() as uow:
        stored = await uow.checkins.of_period(algebra.id, "2026-W10")
    assert sorted(c.id for c in stored if c.member.id != members[7].id) == sorted(
        c.id for c in added
    )


async def test_a_duplicate_checkin_is_refused_and_the_transaction_carries_on(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    algebra, physics = await _circles(uows, "Algebra", "Physics")
    async with uows() as uow:
        assert await uow.checkins.add(_checkin(algebra, ada, "2026-W10")) is not None
        assert await uow.checkins.add(_checkin(algebra, ada, "2026-W10", at=HOUR)) is None
        # The refused insert left the transaction usable.
        assert await uow.checkins.add(_checkin(algebra, bob, "2026-W10")) is not None
        assert await uow.checkins.add(_checkin(algebra, ada, "2026-W11")) is not None
        await uow.commit()
    async with uows() as uow:
        assert await uow.checkins.add(_checkin(algebra, bob, "2026-W10")) is None
        assert await uow.checkins.add(_checkin(physics, bob, "2026-W10")) is not None
        await uow.commit()

    async with uows() as uow:
        existing = uow.checkins.existing
        assert await existing(algebra.id, ["2026-W10", "2026-W11", "2026-W12"]) == {
            (ada.id, "2026-W10"),
            (bob.id, "2026-W10"),
            (ada.id, "2026-W11"),
        }
        assert await existing(algebra.id, ["2026-W11"]) == {(ada.id, "2026-W11")}
        assert await existing(physics.id, ["2026-W10"]) == {(bob.id, "2026-W10")}
        assert await existing(algebra.id, []) == set()


async def test_reminders_due_and_closing_take_only_open_checkins_that_are_due(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    (eve,) = await add_members(uows, "eve", workspace=THERE)
    (algebra,) = await _circles(uows, "Algebra")
    (there,) = await _circles(uows, "Chemistry", workspace=THERE)
    due_soon = START + HOUR
    remind_ada = _checkin(algebra, ada, "p1", remind_at=due_soon)
    remind_later = _checkin(algebra, bob, "p1", remind_at=START + DAY)
    answered = _checkin(
        algebra, cat, "p1", remind_at=due_soon, status=CheckinStatus.ANSWERED, lasts=HOUR
    )
    never_reminded = _checkin(algebra, ada, "p2", lasts=HOUR)
    remind_eve = _checkin(there, eve, "p1", remind_at=due_soon, lasts=HOUR)
    missed = _checkin(algebra, bob, "p2", status=CheckinStatus.MISSED, lasts=HOUR)
    skipped = _checkin(algebra, cat, "p2", status=CheckinStatus.SKIPPED, lasts=HOUR)
    remind_ada, remind_later, answered, never_reminded, remind_eve, missed, skipped = await _add(
        uows, remind_ada, remind_later, answered, never_reminded, remind_eve, missed, skipped
    )

    async with uows() as uow:
        reminders = await uow.checkins.reminders_due(START + 2 * HOUR, 10)
        assert [c.id for c in reminders] == [remind_ada.id, remind_eve.id]
        assert reminders[1].circle == there
        assert reminders[1].member == eve
        assert [c.id for c in await uow.checkins.reminders_due(START + 2 * HOUR, 1)] == [
            remind_ada.id
        ]
        assert await uow.checkins.reminders_due(START, 10) == []

        closing = await uow.checkins.closing(START + HOUR, 10)
        assert [c.id for c in closing] == [never_reminded.id, remind_eve.id]
        assert await uow.checkins.closing(START + HOUR - timedelta(seconds=1), 10) == []
        everything = await uow.checkins.closing(START + 9 * DAY, 10)
        # The longest closed first (an hour after START), then those closing after two days.
        assert [c.id for c in everything] == [
            never_reminded.id,
            remind_eve.id,
            remind_ada.id,
            remind_later.id,
        ]
        assert all(c.status is CheckinStatus.OPEN for c in everything)
        # One circle, one object: check-ins of the same circle share it.
        assert everything[2].circle is everything[3].circle is everything[0].circle


async def test_periods_to_digest_wait_for_every_window_and_are_digested_once(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    algebra, physics, empty = await _circles(uows, "Algebra", "Physics", "Empty")
    a, p = algebra.id, physics.id
    await _add(
        uows,
        _checkin(algebra, ada, "2026-W09", lasts=HOUR, status=CheckinStatus.ANSWERED),
        _checkin(algebra, bob, "2026-W09", lasts=2 * HOUR, status=CheckinStatus.MISSED),
        # One window of W10 is still open at START + 3h.
        _checkin(algebra, ada, "2026-W10", lasts=HOUR, status=CheckinStatus.ANSWERED),
        _checkin(algebra, bob, "2026-W10", lasts=5 * HOUR, status=CheckinStatus.SKIPPED),
        _checkin(physics, ada, "2026-W09", lasts=HOUR, status=CheckinStatus.ANSWERED),
        _checkin(physics, bob, "2026-W08", lasts=HOUR, status=CheckinStatus.MISSED),
        # Its window has closed, but the closing job has not marked it missed yet.
        _checkin(empty, ada, "2026-W09", lasts=HOUR),
    )
    now = START + 3 * HOUR

    async with uows() as uow:
        # The soonest closed first: Physics' periods closed an hour after START, Algebra's W09
        # when Bob's window closed, an hour later.
        assert await uow.checkins.periods_to_digest(now, 10) == [
            (p, "2026-W08"),
            (p, "2026-W09"),
            (a, "2026-W09"),
        ]
        assert await uow.checkins.periods_to_digest(now, 2) == [(p, "2026-W08"), (p, "2026-W09")]
        assert await uow.checkins.periods_to_digest(START + HOUR / 2, 10) == []
        assert await uow.checkins.last_digest_at(a) is None
        assert await uow.checkins.add_digest(a, "2026-W09", now)
        assert not await uow.checkins.add_digest(a, "2026-W09", now + HOUR)
        # The refused insert left the transaction usable.
        assert await uow.checkins.add_digest(p, "2026-W08", now - HOUR)
        await uow.commit()

    async with uows() as uow:
        assert not await uow.checkins.add_digest(a, "2026-W09", now + DAY)
        assert await uow.checkins.periods_to_digest(now, 10) == [(p, "2026-W09")]
        assert await uow.checkins.periods_to_digest(START + 5 * HOUR, 10) == [
            (p, "2026-W09"),
            (a, "2026-W10"),
        ]
        assert await uow.checkins.add_digest(a, "2026-W10", now + DAY)
        last = await uow.checkins.last_digest_at(a)
        assert last == now + DAY
        assert last is not None
        assert last.tzinfo == UTC
        assert await uow.checkins.last_digest_at(empty.id) is None


async def test_latest_of_takes_the_latest_checkin_in_each_circle(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    algebra, physics, chemistry = await _circles(uows, "Algebra", "Physics", "Chemistry")
    old_algebra = _checkin(algebra, ada, "2026-W09", at=-7 * DAY)
    new_algebra = _checkin(algebra, ada, "2026-W10", lasts=5 * DAY)
    new_physics = _checkin(physics, ada, "2026-W10", at=HOUR, lasts=DAY)
    # Added after, scheduled before: the latest is by schedule, not by insertion.
    old_physics = _checkin(physics, ada, "2026-W08", at=-14 * DAY)
    bobs = _checkin(chemistry, bob, "2026-W11", at=7 * DAY)
    old_algebra, new_algebra, new_physics, old_physics, bobs = await _add(
        uows, old_algebra, new_algebra, new_physics, old_physics, bobs
    )

    async with uows() as uow:
        latest = await uow.checkins.latest_of(ada.id)
        # The soonest closing first.
        assert [c.id for c in latest] == [new_physics.id, new_algebra.id]
        assert latest == [new_physics, new_algebra]
        assert [c.id for c in await uow.checkins.latest_of(bob.id)] == [bobs.id]
        assert await uow.checkins.latest_of(-1) == []
        assert await uow.checkins.latest_period(physics.id) == "2026-W10"
        assert await uow.checkins.latest_period(chemistry.id) == "2026-W11"
        assert await uow.checkins.latest_period(-1) is None


async def test_of_period_goes_by_member_name_whatever_the_case(
    uows: SqlUnitOfWorkFactory,
) -> None:
    async with uows() as uow:
        members = [
            await uow.members.add(NewMember(HERE.member(user), name))
            for user, name in (("u1", "cat"), ("u2", "Bob"), ("u3", "ada"), ("u4", "Dan"))
        ]
        await uow.commit()
    algebra, physics = await _circles(uows, "Algebra", "Physics")
    await _add(
        uows,
        *(_checkin(algebra, m, "2026-W10") for m in members[:3]),
        _checkin(algebra, members[3], "2026-W11"),
        _checkin(physics, members[3], "2026-W10"),
    )
    async with uows() as uow:
        of_period = await uow.checkins.of_period(algebra.id, "2026-W10")
        assert [c.member.display_name for c in of_period] == ["ada", "Bob", "cat"]
        assert {c.period for c in of_period} == {"2026-W10"}
        assert await uow.checkins.of_period(algebra.id, "2026-W12") == []


async def test_late_since_lists_late_answers_after_a_time(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    algebra, physics = await _circles(uows, "Algebra", "Physics")

    def answered(
        circle: Circle, member: Member, period: str, after: timedelta, late: bool
    ) -> NewCheckin:
        return _checkin(
            circle,
            member,
            period,
            status=CheckinStatus.ANSWERED,
            answers=("ok",),
            answered_at=START + after,
            late=late,
        )

    late_bob = answered(algebra, bob, "2026-W09", 3 * DAY, True)
    late_ada = answered(algebra, ada, "2026-W09", 2 * DAY, True)
    on_time = answered(algebra, cat, "2026-W09", HOUR, False)
    elsewhere = answered(physics, ada, "2026-W09", 2 * DAY, True)
    # Late but not an answer (say a state left behind): not a late answer.
    missed = _checkin(algebra, cat, "2026-W10", status=CheckinStatus.MISSED, late=True)
    late_bob, late_ada, on_time, elsewhere, missed = await _add(
        uows, late_bob, late_ada, on_time, elsewhere, missed
    )

    async with uows() as uow:
        late_since = uow.checkins.late_since
        assert [c.id for c in await late_since(algebra.id, None)] == [late_ada.id, late_bob.id]
        assert [c.id for c in await late_since(algebra.id, START + 2 * DAY)] == [late_bob.id]
        assert await late_since(algebra.id, START + 3 * DAY) == []
        assert [c.id for c in await late_since(physics.id, START)] == [elsewhere.id]


async def test_moderators_are_the_workspaces_own(uows: SqlUnitOfWorkFactory) -> None:
    async with uows() as uow:
        added = {}
        for workspace, user, moderates in (
            (HERE, "zed", True),
            (HERE, "ada", False),
            (HERE, "bob", True),
            (THERE, "eve", True),
            (WorkspaceRef("discord", "T1"), "dan", True),
        ):
            added[user] = await uow.members.add(NewMember(workspace.member(user), user, moderates))
        await uow.commit()
    async with uows() as uow:
        assert await uow.members.moderators(HERE) == [added["zed"], added["bob"]]
        assert [m.ref.user_id for m in await uow.members.moderators(THERE)] == ["eve"]
        assert await uow.members.moderators(WorkspaceRef("slack", "T3")) == []


async def test_still_in_unanswered_oldest_first_in_every_workspace(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, _never_asked, dan = await add_members(uows, "ada", "bob", "cat", "dan")
    (eve,) = await add_members(uows, "eve", workspace=THERE)
    async with uows() as uow:
        for member, asked in ((ada, 2 * DAY), (bob, DAY), (eve, 3 * DAY), (dan, 5 * DAY)):
            member.still_in_asked_at = START + asked
            await uow.members.save(member)
        await uow.commit()

    async with uows() as uow:
        unanswered = await uow.members.still_in_unanswered(START + 3 * DAY, 10)
        assert [m.display_name for m in unanswered] == ["Bob", "Ada", "Eve"]
        assert unanswered[1] == ada
        assert [
            m.display_name for m in await uow.members.still_in_unanswered(START + 9 * DAY, 2)
        ] == [
            "Bob",
            "Ada",
        ]
        assert await uow.members.still_in_unanswered(START, 10) == []
        # Answered: no longer asked.
        bob.still_in_asked_at = None
        await uow.members.save(bob)
        await uow.commit()
    async with uows() as uow:
        names = [m.display_name for m in await uow.members.still_in_unanswered(START + 3 * DAY, 10)]
        assert names == ["Ada", "Eve"]


async def test_blackouts_belong_to_their_workspace(uows: SqlUnitOfWorkFactory) -> None:
    new = (
        NewBlackout(HERE, date(2026, 12, 21), date(2027, 1, 1), START + HOUR),
        NewBlackout(HERE, date(2026, 4, 3), date(2026, 4, 13), START),
        NewBlackout(THERE, date(2026, 4, 1), date(2026, 4, 2), START),
    )
    async with uows() as uow:
        christmas, easter, theirs = [await uow.blackouts.add(blackout) for blackout in new]
        await uow.commit()
    assert tuple(as_added(b, NewBlackout) for b in (christmas, easter, theirs)) == new
    assert isinstance(easter.id, int)

    async with uows() as uow:
        assert await uow.blackouts.in_workspace(HERE) == [easter, christmas]
        assert await uow.blackouts.in_workspace(THERE) == [theirs]
        assert await uow.blackouts.in_workspace(WorkspaceRef("discord", "T1")) == []
        await uow.blackouts.remove(easter.id)
        await uow.commit()
    async with uows() as uow:
        (left,) = await uow.blackouts.in_workspace(HERE)
        assert left == christmas
        assert left.created_at.tzinfo == UTC
        assert left.covers(date(2026, 12, 31))
        assert await uow.blackouts.in_workspace(THERE) == [theirs]


async def test_flags_are_stored_with_their_circle_and_checkin(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    (ada,) = await add_members(uows, "ada")
    (algebra,) = await _circles(uows, "Algebra")
    (checkin,) = await _add(uows, _checkin(algebra, ada))
    from_checkin = NewFlag(HERE, ada, "I am struggling", START, algebra.id, checkin.id)
    by_command = NewFlag(HERE, ada, "x" * 2000, START + HOUR)
    async with uows() as uow:
        flags = [await uow.flags.add(from_checkin), await uow.flags.add(by_command)]
        await uow.commit()
    assert [as_added(f, NewFlag) for f in flags] == [from_checkin, by_command]
    assert all(isinstance(f.id, int) for f in flags)

    async with engine.connect() as connection:
        rows = await connection.execute(
            select(
                FlagRow.platform,
                FlagRow.workspace_id,
                FlagRow.member_id,
                FlagRow.circle_id,
                FlagRow.checkin_id,
                FlagRow.text,
                FlagRow.created_at,
            ).order_by(col(FlagRow.id))
        )
        assert [tuple(row) for row in rows] == [
            ("slack", "T1", ada.id, algebra.id, checkin.id, "I am struggling", START),
            ("slack", "T1", ada.id, None, None, "x" * 2000, START + HOUR),
        ]


# On SQLite every transaction begins IMMEDIATE, so writers already take turns: these run on
# PostgreSQL only.
ON_POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@ON_POSTGRES_ONLY
async def test_two_instances_closing_at_once_take_disjoint_checkins_on_postgres(
    uows: SqlUnitOfWorkFactory,
) -> None:
    members = await add_members(uows, "ada", "bob", "cat", "dan", "eve")
    (algebra,) = await _circles(uows, "Algebra")
    checkins = await _add(
        uows, *(_checkin(algebra, m, lasts=HOUR, remind_at=START) for m in members)
    )
    ids = [c.id for c in checkins]

    async with uows() as first, uows() as second:
        taken_first = await first.checkins.closing(START + DAY, 2)
        taken_second = await second.checkins.closing(START + DAY, 10)
        # A reminder job at the same moment finds nothing the closers hold.
        async with uows() as third:
            assert await third.checkins.reminders_due(START + DAY, 10) == []
    assert [c.id for c in taken_first] == ids[:2]
    assert [c.id for c in taken_second] == ids[2:]

    # Once they end, the rows are free again.
    async with uows() as again:
        assert [c.id for c in await again.checkins.reminders_due(START + DAY, 10)] == ids


@ON_POSTGRES_ONLY
async def test_a_checkin_being_answered_is_not_closed_under_it_on_postgres(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    (algebra,) = await _circles(uows, "Algebra")
    answering, other = await _add(
        uows, _checkin(algebra, ada, lasts=HOUR), _checkin(algebra, bob, lasts=HOUR)
    )

    async with uows() as answer:
        held = await answer.checkins.get(answering.id)
        assert held is not None
        async with uows() as job:
            assert [c.id for c in await job.checkins.closing(START + DAY, 10)] == [other.id]


@ON_POSTGRES_ONLY
async def test_two_instances_asking_still_in_take_disjoint_members_on_postgres(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    async with uows() as uow:
        for member in (ada, bob):
            member.still_in_asked_at = START
            await uow.members.save(member)
        await uow.commit()

    async with uows() as first, uows() as second:
        taken_first = await first.members.still_in_unanswered(START + DAY, 1)
        taken_second = await second.members.still_in_unanswered(START + DAY, 10)
    assert [m.id for m in taken_first] == [ada.id]
    assert [m.id for m in taken_second] == [bob.id]


async def test_0003_upgrades_a_database_in_use_and_downgrades_without_losing_rows(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await at_revision_with_ada(engine, "0002", cadence="weekly")
    # Migration 0003 stamps existing circles with the moment it runs (a migration has no Clock):
    # the bounds are the real time around it, whatever the day.
    before = datetime.now(UTC)
    await upgrade(engine)
    after = datetime.now(UTC)

    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    async with uows() as uow:
        ada = await uow.members.get(HERE.member("ada"))
        circle = await uow.circles.get_by_name(HERE, "algebra")
        assert ada is not None
        assert circle is not None
        assert ada.missed_checkins == 0
        assert ada.still_in_asked_at is None
        # The new columns did not copy (and so empty) the tables that others point at.
        assert await uow.circles.membership(circle.id, ada.id) is not None
        # An old circle is scheduled from the migration on, owing nothing from before it.
        assert circle.schedule_since is not None
        assert circle.schedule_since.tzinfo == UTC
        assert before <= circle.schedule_since <= after
        assert await uow.checkins.add(_checkin(circle, ada)) is not None
        await uow.commit()

    async with engine.begin() as connection:
        await connection.run_sync(migrate, "downgrade", "0002")
        kept = await connection.execute(text("SELECT count(*) FROM memberships"))
        assert kept.scalar_one() == 1
        columns = await connection.run_sync(
            lambda c: {column["name"] for column in inspect(c).get_columns("members")}
        )
        assert "missed_checkins" not in columns
        assert "paused_until" in columns
    await upgrade(engine)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
        )
        checkins = await connection.execute(select(CheckinRow))
        assert checkins.all() == []
    await engine.dispose()
    assert differences == []

"""The check-in jobs' tick on SQLite and PostgreSQL: an idle pass costs the same number of SQL
statements whatever the number of workspaces, finds what is due through indexes, and a change
that can make a check-in due sooner is never lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import bindparam, event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.sql.sqltypes import UTCDateTime

from adapters.clock import ManualClock
from bot.checkins.jobs import CheckinJobs
from bot.kernel.model import (
    Cadence,
    CircleRole,
    CircleSettings,
    NewBlackout,
    NewCheckin,
    NewCircle,
    NewMember,
    NewMembership,
    Profile,
    ProfileRole,
    WorkspaceRef,
)
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.old_schema import at_revision_with_ada, migrate
from tests.support.plans import query_plan
from tests.support.settings import START

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
MONDAY_NINE = datetime(2026, 3, 9, 9, 0, tzinfo=START.tzinfo)  # the week after START's
ZONES = ("UTC", "Europe/Berlin", "America/New_York")


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[tuple[str, object]]]:
    """Every SQL statement the engine sends while the block runs, with its parameters."""
    seen: list[tuple[str, object]] = []

    def record(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        seen.append((sql, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def seed_workspaces(
    uows: SqlUnitOfWorkFactory, first: int, count: int, *, time: str = "09:00"
) -> None:
    """`count` workspaces of three mentors (one per zone) and two weekly circles (Mondays at
    `time`, every mentor in both), made an hour before START."""
    made = START - timedelta(hours=1)
    settings = CircleSettings(cadence=Cadence.WEEKLY, day="mon", time=time)
    async with uows() as uow:
        for w in range(first, first + count):
            workspace = WorkspaceRef("slack", f"T{w}")
            members = [
                await uow.members.add(
                    NewMember(
                        workspace.member(f"U{n}"),
                        f"Mentor {n}",
                        profile=Profile(role=ProfileRole.MENTOR, timezone=zone),
                    )
                )
                for n, zone in enumerate(ZONES)
            ]
            for name in ("weekly-a", "weekly-b"):
                circle = await uow.circles.add(
                    NewCircle(
                        workspace, name, settings=settings, created_at=made, schedule_since=made
                    )
                )
                for member in members:
                    await uow.circles.add_membership(
                        NewMembership(circle.id, member, CircleRole.MENTOR, joined_at=made)
                    )
        await uow.commit()


async def idle_pass(jobs: CheckinJobs, engine: AsyncEngine, now: datetime) -> int:
    """The SQL statements one pass of every check-in job sends at `now`."""
    with statements(engine) as seen:
        for job in jobs.all():
            await job(now)
    return len(seen)


async def prompted(engine: AsyncEngine) -> list[str]:
    """Workspace and user of every check-in prompt queued, in order."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT workspace_id, target FROM outbox WHERE key LIKE :key ORDER BY id"),
            {"key": "checkin:%:prompt"},
        )
        return [f"{workspace}:{target}" for workspace, target in rows]


async def test_an_idle_pass_costs_the_same_at_1_and_at_25_workspaces(
    uows: SqlUnitOfWorkFactory, engine: AsyncEngine
) -> None:
    jobs = CheckinJobs(uows, CoreSettings())
    await seed_workspaces(uows, 0, 1)
    await idle_pass(jobs, engine, START)  # the first pass gives the new circles their moments
    at_one = await idle_pass(jobs, engine, START + MINUTE)
    await seed_workspaces(uows, 1, 24)
    await idle_pass(jobs, engine, START + 2 * MINUTE)
    at_25 = await idle_pass(jobs, engine, START + 3 * MINUTE)
    assert at_25 == at_one <= 10  # five jobs: at most a BEGIN and one query each
    assert await prompted(engine) == []

    # One workspace's circles meet at 08:00: its mentor in Berlin is the first one due (at
    # 07:00 UTC on Monday), an hour before anyone else; only that one is prompted, once a circle.
    await seed_workspaces(uows, 25, 1, time="08:00")
    await idle_pass(jobs, engine, START + 4 * MINUTE)
    berlin_eight = MONDAY_NINE - 2 * timedelta(hours=1)
    assert await idle_pass(jobs, engine, berlin_eight - MINUTE) == at_one
    assert await idle_pass(jobs, engine, berlin_eight) > at_one
    assert await prompted(engine) == ["T25:U1", "T25:U1"]
    assert await idle_pass(jobs, engine, berlin_eight + MINUTE) == at_one


async def _plan(engine: AsyncEngine, sql: str, params: object) -> str:
    return await query_plan(engine, sql, params)


async def test_the_jobs_find_what_is_due_through_indexes(
    uows: SqlUnitOfWorkFactory, engine: AsyncEngine
) -> None:
    await seed_workspaces(uows, 0, 3)
    async with uows() as uow:
        with statements(engine) as seen:
            await uow.checkins.due_circles(START)
            await uow.checkins.reminders_due(START, 10)
            await uow.checkins.closing(START, 10)
            await uow.checkins.periods_to_digest(START, 10)
            await uow.members.still_in_unanswered(START, 10)
    selects = [(sql, params) for sql, params in seen if sql.lstrip().startswith("SELECT")]
    due_circles, reminders, closing, digests, still_in = selects
    expected = {
        "ix_checkin_schedules_due_at": due_circles,
        "ix_open_checkins_remind_at": reminders,
        "ix_open_checkins_closes_at": closing,
        "ix_checkin_pending_digests_due_at": digests,
        "ix_members_still_in_asked": still_in,
    }
    for index, (sql, params) in expected.items():
        plan = await _plan(engine, sql, params)
        assert index in plan, plan
        for table in ("circles", "checkins", "checkin_schedules", "members", "memberships"):
            assert f"SCAN {table} " not in f"{plan} ", plan  # SQLite reads no table whole
        assert "Seq Scan" not in plan, plan  # nor does PostgreSQL


async def test_a_change_that_brings_a_checkin_sooner_is_kept_whoever_commits_first(
    uows: SqlUnitOfWorkFactory,
) -> None:
    await seed_workspaces(uows, 0, 1)
    jobs = CheckinJobs(uows, CoreSettings())
    await jobs.open_due(START)
    berlin_nine = MONDAY_NINE - timedelta(hours=1)  # the first of the three zones' 09:00
    async with uows() as uow:
        assert await uow.checkins.due_circles(START + MINUTE) == []
        assert await uow.checkins.due_circles(berlin_nine - MINUTE) == []
        due = await uow.checkins.due_circles(berlin_nine)
    assert [s.circle.name for s in due] == ["weekly-a", "weekly-b"]

    # Read the schedule, then a member moves to Tokyo before the job stores its next moment.
    async with uows() as uow:
        [stale, _] = await uow.checkins.due_circles(berlin_nine)
    async with uows() as uow:
        member = await uow.members.get(WorkspaceRef("slack", "T0").member("U2"))
        assert member is not None
        member.profile.timezone = "Asia/Tokyo"
        await uow.members.save(member)
        await uow.commit()
    async with uows() as uow:
        await uow.checkins.reschedule(stale.circle.id, stale.version, berlin_nine)
        await uow.commit()
    async with uows() as uow:
        due = await uow.checkins.due_circles(START + MINUTE)
    assert [s.circle.name for s in due] == ["weekly-a", "weekly-b"]


async def test_a_period_digest_is_due_when_its_last_window_closes_and_comes_once(
    uows: SqlUnitOfWorkFactory,
) -> None:
    await seed_workspaces(uows, 0, 1)
    async with uows() as uow:
        circle = await uow.circles.get(1)
        [first, second, _] = [m.member for m in await uow.circles.memberships(1)]
        assert circle is not None
        opening = [
            NewCheckin(circle, first, "2026-W10", START, START + timedelta(hours=2), ()),
            NewCheckin(circle, second, "2026-W10", START, START + timedelta(hours=5), ()),
        ]
        await uow.checkins.add_all(opening[:1])
        await uow.checkins.add_all(opening[1:])
        for checkin in await uow.checkins.of_period(1, "2026-W10"):
            checkin.status = checkin.status.ANSWERED
            await uow.checkins.save(checkin)
        await uow.commit()
    async with uows() as uow:
        assert await uow.checkins.periods_to_digest(START + timedelta(hours=3), 10) == []
        assert await uow.checkins.periods_to_digest(START + timedelta(hours=5), 10) == [
            (1, "2026-W10")
        ]
        assert await uow.checkins.add_digest(1, "2026-W10", START + timedelta(hours=5))
        await uow.commit()
    async with uows() as uow:
        assert await uow.checkins.periods_to_digest(START + timedelta(days=9), 10) == []


async def _quiet_hours(uow: UnitOfWork) -> None:
    member = await uow.members.get(WorkspaceRef("slack", "T0").member("U0"))
    assert member is not None
    member.profile.quiet_hours = "22:00-10:00"
    await uow.members.save(member)


async def _mentee(uow: UnitOfWork) -> None:
    [membership, *_] = await uow.circles.memberships(2)
    membership.role = CircleRole.MENTEE
    await uow.circles.save_membership(membership)


async def _missed(uow: UnitOfWork) -> None:
    member = await uow.members.get(WorkspaceRef("slack", "T0").member("U0"))
    assert member is not None
    member.missed_checkins += 1  # changes nothing about when anyone is due
    await uow.members.save(member)


async def _blackout_lifted(uow: UnitOfWork) -> None:
    monday = MONDAY_NINE.date()
    blackout = await uow.blackouts.add(
        NewBlackout(WorkspaceRef("slack", "T0"), monday, monday, START)
    )
    await uow.blackouts.remove(blackout.id)


@pytest.mark.parametrize(
    ("change", "marked"),
    [
        (_quiet_hours, ["weekly-a", "weekly-b"]),
        (_mentee, ["weekly-b"]),
        (_blackout_lifted, ["weekly-a", "weekly-b"]),
        (_missed, []),
    ],
)
async def test_changes_that_can_bring_a_checkin_sooner_mark_only_their_circles(
    uows: SqlUnitOfWorkFactory,
    change: Callable[[UnitOfWork], Awaitable[None]],
    marked: list[str],
) -> None:
    await seed_workspaces(uows, 0, 2)
    await CheckinJobs(uows, CoreSettings()).open_due(START)
    async with uows() as uow:
        await change(uow)
        await uow.commit()
    async with uows() as uow:
        due = await uow.checkins.due_circles(START + MINUTE)
    assert [(s.circle.workspace.workspace_id, s.circle.name) for s in due] == [
        ("T0", name) for name in marked
    ]


CHECKIN = (
    "INSERT INTO checkins (circle_id, member_id, platform, workspace_id, period, scheduled_at,"
    " closes_at, questions, status, reminders_sent, answers, concern, late, skip_reason)"
    " SELECT circles.id, members.id, 'slack', 'T1', :period, :at, :closes, '[]', 'answered', 0,"
    " '[]', false, false, '' FROM circles, members"
)
DIGEST = (
    "INSERT INTO checkin_digests (circle_id, period, sent_at) SELECT id, '2026-W08', :closes"
    " FROM circles"
)


async def test_0017_keeps_the_digests_still_to_come_and_schedules_every_old_circle(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await at_revision_with_ada(engine, "0016", cadence="weekly")
    async with engine.begin() as connection:
        for statement, period, at in (
            (CHECKIN, "2026-W08", START - 14 * DAY),
            (DIGEST, "2026-W08", START - 14 * DAY),
            (CHECKIN, "2026-W09", START - 7 * DAY),
        ):
            times = [
                bindparam(n, type_=UTCDateTime()) for n in ("at", "closes") if f":{n}" in statement
            ]
            await connection.execute(
                text(statement).bindparams(*times),
                {"at": at, "closes": at + 3 * DAY, "period": period},
            )
    await upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    async with uows() as uow:
        # W08 was digested before the upgrade; W09's digest is still to come.
        assert await uow.checkins.periods_to_digest(START, 10) == [(1, "2026-W09")]
        # The old circle has no moment stored yet: the job's first pass looks at it.
        assert [s.circle.name for s in await uow.checkins.due_circles(START)] == ["Algebra"]
    async with engine.begin() as connection:
        await connection.run_sync(migrate, "downgrade", "0016")
    await upgrade(engine)
    await engine.dispose()

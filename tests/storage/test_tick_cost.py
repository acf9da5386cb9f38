"""A tick costs only what is due (issue 18): with nothing due, each job this branch bounds sends
as many statements for 25 workspaces as for one, reads through indexes (before and after
ANALYZE), and still does its work when something is due.

The workspaces are bench.workspaces' (200 members, 4 circles, 2 weekly with this week's round
run, check-in history, 520 delivered outbox rows each), seeded in bulk; the clock is that bench's
Thursday noon, when nothing is due.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.workspaces import NOW, Ticker, make_one_due, seed, workspace_id
from bench.workspaces import _Jobs as Jobs
from bot.kernel.model import WorkspaceRef
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.plans import plan_steps, query_plan

BOUNDED = (
    "BuddyJobs.expire_requests",
    "BuddyJobs.ask_about_meetings",
    "BuddyJobs.run_scheduled_rounds",
    "GoalJobs.ask_due",
    "AgreementJobs.note_unconfirmed",
    "outbox (recover, drain)",
)
"""The jobs this test holds to a constant idle cost (the check-in jobs and the purge are other
branches' work)."""


async def _idle(engine: AsyncEngine, url: str) -> dict[str, int]:
    ticker = Ticker(engine, url)
    await ticker.tick()  # whatever the seed left owed
    tick = await ticker.tick()
    return {name: tick.jobs[name][1] for name in BOUNDED}


async def test_an_idle_tick_sends_as_many_statements_for_25_workspaces_as_for_one(
    engine: AsyncEngine, database_url: str
) -> None:
    await seed(engine, 1)
    one = await _idle(engine, database_url)
    await seed(engine, 25, first=2)
    many = await _idle(engine, database_url)
    assert many == one
    assert sum(one.values()) <= 12, one  # a read or two a job, nothing per circle or pairing


async def test_a_due_round_runs_once_and_its_circle_is_next_looked_at_a_week_on(
    engine: AsyncEngine, database_url: str
) -> None:
    await seed(engine, 3)
    ticker = Ticker(engine, database_url)
    await ticker.tick()
    async with engine.connect() as connection:
        before = (await connection.execute(text("SELECT COUNT(*) FROM pairing_rounds"))).scalar()
    await make_one_due(engine, 2, 2)
    await ticker.tick()
    async with engine.connect() as connection:
        rounds = (
            await connection.execute(
                text(
                    "SELECT c.workspace_id, c.name, r.period, c.round_due_at, "
                    "(SELECT COUNT(*) FROM pairings p WHERE p.round_id = r.id) "
                    "FROM pairing_rounds r JOIN circles c ON c.id = r.circle_id "
                    "ORDER BY r.id DESC"
                )
            )
        ).all()
    assert len(rounds) == (before or 0) + 1
    workspace, name, period, due, pairs = rounds[0]
    assert (workspace, name, period) == (workspace_id(2), "circle-2", "2026-W10")
    assert pairs >= 40  # its 100 members paired
    looked = due if isinstance(due, str) else due.isoformat()
    assert looked.startswith(f"{NOW + timedelta(days=7):%Y-%m-%d}")  # next Thursday's round
    again = await ticker.tick()
    assert again.jobs["BuddyJobs.run_scheduled_rounds"][1] == 1  # the due read, finding none


async def test_the_agreements_note_sets_peer_pairings_aside_once_and_still_names_a_mentoring_pair(
    engine: AsyncEngine, database_url: str
) -> None:
    await seed(engine, 2)
    async with engine.begin() as connection:
        # Workspace 1's round pairings were never looked at; one of them is a mentor and a mentee.
        await connection.execute(
            text("UPDATE pairings SET agreement_checked_at = NULL WHERE workspace_id = :ws"),
            {"ws": workspace_id(1)},
        )
        first = (
            await connection.execute(
                text("SELECT MIN(id) FROM pairings WHERE workspace_id = :ws"),
                {"ws": workspace_id(1)},
            )
        ).scalar_one()
        await connection.execute(
            text(
                "UPDATE pairing_seats SET role = CASE WHEN id = (SELECT MIN(id) FROM pairing_seats"
                " WHERE pairing_id = :p) THEN 'mentor' ELSE 'mentee' END WHERE pairing_id = :p"
            ),
            {"p": first},
        )
    ticker = Ticker(engine, database_url)
    await ticker.tick()
    async with engine.connect() as connection:
        unchecked = (
            await connection.execute(
                text("SELECT COUNT(*) FROM pairings WHERE agreement_checked_at IS NULL")
            )
        ).scalar_one()
        noted = (
            (await connection.execute(text("SELECT pairing_id FROM agreement_notes")))
            .scalars()
            .all()
        )
        told = (
            await connection.execute(
                text("SELECT COUNT(*) FROM outbox WHERE key LIKE 'agreements:unconfirmed:%'")
            )
        ).scalar_one()
    assert unchecked == 0
    assert noted == [first]
    assert told >= 1 or not await _has_moderators(engine)
    again = await ticker.tick()
    assert again.jobs["AgreementJobs.note_unconfirmed"][1] == 2  # set aside none, name none


async def _has_moderators(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        found = await connection.execute(text("SELECT 1 FROM members WHERE is_moderator"))
        return found.first() is not None


@pytest.mark.parametrize("analyzed", [False, True], ids=["fresh", "after ANALYZE"])
async def test_every_bounded_query_of_an_idle_tick_reads_an_index(
    engine: AsyncEngine, database_url: str, analyzed: bool
) -> None:
    await seed(engine, 25)
    ticker = Ticker(engine, database_url)
    await ticker.tick()
    if analyzed:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    seen: dict[str, tuple[str, object]] = {}

    def record(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        if Jobs.current.startswith(BOUNDED) or Jobs.current == "outbox":
            verb = sql.lstrip().split()[0].upper()
            if verb in ("SELECT", "UPDATE", "DELETE"):
                seen.setdefault(sql, (Jobs.current, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await ticker.tick()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    postgres = engine.dialect.name == "postgresql"
    assert seen
    statements = [(sql, params) for sql, (_, params) in seen.items()]
    plans = await plan_steps(engine, statements)
    for (sql, (job, _)), steps in zip(seen.items(), plans, strict=True):
        if postgres:
            assert not any("Seq Scan" in step for step in steps), (job, sql, steps)
        else:
            scans = [
                step
                for step in steps
                if step.startswith("SCAN ")
                and "CONSTANT ROW" not in step
                and "subquery" not in step
            ]
            assert not scans, (job, sql, steps)


@pytest.mark.parametrize("analyzed", [False, True], ids=["fresh", "after ANALYZE"])
async def test_findbuddy_reads_a_workspaces_busy_members_off_its_open_on_demand_pairings(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory, analyzed: bool
) -> None:
    await seed(engine, 10)
    async with engine.begin() as connection:  # a few open /findbuddy pairings among the history
        await connection.execute(
            text("UPDATE pairings SET kind = 'on-demand' WHERE id % 50 = 0 AND workspace_id = :ws"),
            {"ws": workspace_id(3)},
        )
        await connection.execute(
            text(
                "UPDATE pairing_seats SET open_on_demand = true WHERE pairing_id IN "
                "(SELECT id FROM pairings WHERE kind = 'on-demand')"
            )
        )
        if analyzed:
            await connection.execute(text("ANALYZE"))
    seen: list[tuple[str, object]] = []

    def record(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        if "open_on_demand" in sql:
            seen.append((sql, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with uows() as uow:
            busy = await uow.buddies.open_on_demand_member_ids(WorkspaceRef("console", "w0003"))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(busy) == 2 * 2  # two seats of each of its two open pairings
    [(sql, params)] = seen
    plan = await query_plan(engine, sql, params)
    assert "ix_pairings_open_on_demand" in plan, plan

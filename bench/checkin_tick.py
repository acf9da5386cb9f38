"""The check-in jobs' idle pass (nothing due) at 1 and at many workspaces, on SQLite: how long one
pass of every check-in job takes and how many SQL statements it issues.

Each workspace has `MEMBERS` members in four time zones and four circles of `CIRCLE_SIZE` (two of
them weekly, every member a mentor), made an hour before the pass: no period is owed yet, so a pass
has nothing to do. Rows are written with bulk inserts (the schema from the migrations); one pass
runs first, as the first tick after a start would, and the next `PASSES` are timed, then
`PASSES` more after ANALYZE.

    .venv/bin/python -m bench.checkin_tick 1 1000
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import ManualClock
from bot.checkins.jobs import CheckinJobs
from bot.kernel.settings import CoreSettings
from storage.circles.tables import CircleRow, MembershipRow
from storage.database import create_engine, upgrade
from storage.members.tables import MemberRow
from storage.unit_of_work import SqlUnitOfWorkFactory

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday
MEMBERS = 200
CIRCLES = 4
WEEKLY = 2
CIRCLE_SIZE = 80
PASSES = 5
ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", None)


def _workspace_rows(w: int, first_member: int, first_circle: int) -> tuple[list[Any], ...]:
    made = NOW - timedelta(hours=1)
    members: list[dict[str, Any]] = [
        {
            "id": first_member + n,
            "platform": "console",
            "workspace_id": f"w{w}",
            "user_id": f"u{n}",
            "display_name": f"Member {n}",
            "role": "mentor",
            "timezone": ZONES[n % len(ZONES)],
            "subjects": [],
            "languages": [],
            "created_at": made,
            "updated_at": made,
        }
        for n in range(MEMBERS)
    ]
    circles: list[dict[str, Any]] = [
        {
            "id": first_circle + c,
            "platform": "console",
            "workspace_id": f"w{w}",
            "name": f"circle-{c}",
            "name_key": f"circle-{c}",
            "cadence": "weekly" if c < WEEKLY else "off",
            "checkin_questions": [],
            "created_at": made,
            "schedule_since": made,
        }
        for c in range(CIRCLES)
    ]
    memberships: list[dict[str, Any]] = [
        {
            "circle_id": first_circle + c,
            "member_id": first_member + (c * CIRCLE_SIZE // 2 + n) % MEMBERS,
            "role": "mentor",
            "joined_at": made,
        }
        for c in range(CIRCLES)
        for n in range(CIRCLE_SIZE)
    ]
    return members, circles, memberships


async def seed(engine: AsyncEngine, workspaces: int) -> None:
    await upgrade(engine)
    async with engine.begin() as connection:
        for w in range(workspaces):
            members, circles, memberships = _workspace_rows(w, w * MEMBERS + 1, w * CIRCLES + 1)
            await connection.execute(insert(MemberRow), members)
            await connection.execute(insert(CircleRow), circles)
            await connection.execute(insert(MembershipRow), memberships)


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def timed_passes(jobs: CheckinJobs, engine: AsyncEngine) -> tuple[float, int]:
    """Median seconds of `PASSES` idle passes of every check-in job, and the SQL statements of
    one."""
    seconds = []
    for n in range(PASSES):
        with counting(engine) as statements:
            started = time.perf_counter()
            for job in jobs.all():
                await job(NOW + timedelta(minutes=n + 1))
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(statements)


async def idle_pass(workspaces: int) -> tuple[float, int, float]:
    """Median seconds of one idle pass of every check-in job and its SQL statements; then the
    median seconds again after ANALYZE (the planner with statistics)."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'tick.db'}")
        try:
            await seed(engine, workspaces)
            jobs = CheckinJobs(SqlUnitOfWorkFactory(engine, ManualClock(NOW)), CoreSettings())
            for job in jobs.all():  # the first tick after a start
                await job(NOW)
            seconds, statements = await timed_passes(jobs, engine)
            async with engine.begin() as connection:
                await connection.exec_driver_sql("ANALYZE")
            analyzed, _ = await timed_passes(jobs, engine)
            return seconds, statements, analyzed
        finally:
            await engine.dispose()


async def main(sizes: list[int]) -> None:
    print("| workspaces | idle pass (ms) | after ANALYZE (ms) | SQL statements |")
    print("|---:|---:|---:|---:|")
    for workspaces in sizes:
        seconds, statements, analyzed = await idle_pass(workspaces)
        print(f"| {workspaces:,} | {seconds * 1000:.1f} | {analyzed * 1000:.1f} | {statements:,} |")


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [1, 1000]))

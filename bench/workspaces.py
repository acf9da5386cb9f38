"""What a tick and a command cost as workspaces are added (issue 18, "Scale, measured").

Seeds W workspaces of 200 members and 4 circles each (2 weekly, with this week's round run and
its pairings, the last weeks' check-ins of their mentors, and 520 delivered outbox rows), in bulk
through SQLAlchemy Core, on a SQLite file and on PostgreSQL (a fresh database, dropped after; when
CIRCLES_TEST_POSTGRES_URL is set). Then, for each W, before and after ANALYZE:
- the idle tick (the scheduler's whole `DueWork.run_due`, nothing due): time, SQL statements,
  and each job's share;
- a tick with one workspace due (one weekly circle's round and check-ins);
- /findbuddy and a read command (/circle info), p50 / p99, against W=1 in the same run;
- the tick's peak Python allocation (tracemalloc) per workspace;
and the query plan of every statement the idle tick sends, at the largest W after ANALYZE.

Run: make bench   (or .venv/bin/python -m bench.workspaces --sizes 1,100,1000 [--write])
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, col

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.config import parse_settings
from adapters.console.people import actor
from bench.commands import NullMessenger, _p50_p99, _percentile
from bench.results_page import DOCS, measures_table, write_block
from bot import features
from bot.kernel.cadence import next_moment, period_at
from bot.kernel.model import Cadence, CircleSettings
from bot.kernel.ports import solve_here
from bot.runtime.due import DueJob, DueWork
from bot.runtime.feature import Wiring
from bot.runtime.outbox import OutboxDispatcher
from storage.buddies.tables import PairingRoundRow, PairingRow, SeatRow
from storage.checkins.tables import CheckinRow
from storage.circles.tables import CircleRow, MembershipRow
from storage.database import create_engine, upgrade
from storage.members.tables import MemberRow
from storage.outbox.store import SqlOutboxStore
from storage.outbox.tables import OutboxRow
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.plans import plan_steps

SIZES = (1, 100, 1_000)
MEMBERS = 200
CIRCLES = 4
WEEKLY = 2
PER_CIRCLE = MEMBERS // 2
"""Each member is in one weekly circle and one other: 100 members a circle."""
MENTOR_EVERY = 10
OUTBOX_ROWS = 520
CHECKIN_WEEKS = 4
IDLE_TICKS = 3
COMMANDS = 100
WARM_UP = 5
CHUNK = 5_000
PLATFORM = "console"
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
"""A Thursday noon: the weekly circles' rounds ran on Monday at 09:00, nothing is due."""
ROUND_DAY = NOW - timedelta(days=3)
"""Monday noon, three hours after every weekly round ran: nothing is due either (the day a
round job that re-planned each round until its day was over cost most)."""
WEEKLY_SETTINGS = CircleSettings(cadence=Cadence.WEEKLY, day="mon", time="09:00")
ZONE = ZoneInfo("UTC")
TABLES: tuple[type[SQLModel], ...] = (
    MemberRow,
    CircleRow,
    MembershipRow,
    PairingRoundRow,
    PairingRow,
    SeatRow,
    CheckinRow,
    OutboxRow,
)


def workspace_id(w: int) -> str:
    return f"w{w:04d}"


# Seeding


@dataclass
class _Ids:
    next: dict[str, int] = field(default_factory=lambda: defaultdict(lambda: 1))

    def take(self, table: str) -> int:
        n = self.next[table]
        self.next[table] = n + 1
        return n


_TEMPLATES: dict[type[SQLModel], dict[str, Any]] = {}


def _row(table: type[SQLModel], **values: Any) -> dict[str, Any]:
    """A row of the table as a dict, every column given: its defaults (from one model built
    once; building a model per row took most of the seeding) with these values."""
    template = _TEMPLATES.get(table)
    if template is None:
        template = _TEMPLATES[table] = table(**values).model_dump()
    return template | values


def _workspace_rows(w: int, ids: _Ids) -> dict[type[SQLModel], list[dict[str, Any]]]:
    """One workspace's rows, table by table, with their ids given."""
    ws = workspace_id(w)
    rows: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)
    made = NOW - timedelta(days=60)
    members = []
    for n in range(MEMBERS):
        member_id = ids.take("members")
        members.append(member_id)
        role = "mentor" if n % MENTOR_EVERY == 0 else "student"
        rows[MemberRow].append(
            _row(
                MemberRow,
                id=member_id,
                platform=PLATFORM,
                workspace_id=ws,
                user_id=f"u{n}",
                display_name=f"Member {n}",
                role=role,
                timezone="UTC",
                subjects=["Mathematics"] if n % 2 else ["English"],
                languages=["en"],
                created_at=made,
                updated_at=made,
            )
        )
    monday = period_at(WEEKLY_SETTINGS, NOW, ZONE)
    for c in range(CIRCLES):
        weekly = c < WEEKLY
        circle_id = ids.take("circles")
        rows[CircleRow].append(
            _row(
                CircleRow,
                id=circle_id,
                platform=PLATFORM,
                workspace_id=ws,
                name=f"circle-{c}",
                name_key=f"circle-{c}",
                day="mon",
                time="09:00",
                created_at=made,
                schedule_since=made,
                round_due_at=next_moment(WEEKLY_SETTINGS, NOW, ZONE) if weekly else None,
                cadence=Cadence.WEEKLY.value if weekly else Cadence.OFF.value,
            )
        )
        half = members[:PER_CIRCLE] if c % 2 == 0 else members[PER_CIRCLE:]
        offset = 0 if c % 2 == 0 else PER_CIRCLE
        for n, member_id in enumerate(half):
            mentor = (n + offset) % MENTOR_EVERY == 0
            rows[MembershipRow].append(
                _row(
                    MembershipRow,
                    id=ids.take("memberships"),
                    circle_id=circle_id,
                    member_id=member_id,
                    role="mentor" if mentor else "mentee",
                    joined_at=made,
                )
            )
            if weekly and mentor:
                for week in range(CHECKIN_WEEKS):
                    moment = monday.moment - timedelta(weeks=week)
                    rows[CheckinRow].append(
                        _row(
                            CheckinRow,
                            id=ids.take("checkins"),
                            circle_id=circle_id,
                            member_id=member_id,
                            platform=PLATFORM,
                            workspace_id=ws,
                            period=period_at(WEEKLY_SETTINGS, moment, ZONE).key,
                            scheduled_at=moment,
                            closes_at=moment + timedelta(days=3),
                            status="answered",
                            prompted_at=moment,
                            answers=["fine"],
                            answered_at=moment + timedelta(hours=5),
                        )
                    )
        if weekly:
            _round_rows(rows, ids, circle_id, ws, half, monday.moment, monday.key)
    for n in range(OUTBOX_ROWS):
        at = NOW - timedelta(days=30) + timedelta(minutes=n)
        rows[OutboxRow].append(
            _row(
                OutboxRow,
                id=ids.take("outbox"),
                key=f"{ws}:history:{n}",
                platform=PLATFORM,
                workspace_id=ws,
                kind="dm",
                target=f"u{n % MEMBERS}",
                text="a message delivered weeks ago",
                status="sent",
                attempts=1,
                created_at=at,
                next_attempt_at=at,
                claimed_at=at,
                sent_at=at,
            )
        )
    return rows


def _round_rows(
    rows: dict[type[SQLModel], list[dict[str, Any]]],
    ids: _Ids,
    circle_id: int,
    ws: str,
    members: list[int],
    moment: datetime,
    period: str,
) -> None:
    """This week's round, run at its moment: pairs that said they met, set aside by the
    agreements note three days later (as the jobs leave them)."""
    round_id = ids.take("pairing_rounds")
    rows[PairingRoundRow].append(
        _row(PairingRoundRow, id=round_id, circle_id=circle_id, period=period, ran_at=moment)
    )
    for a, b in zip(members[::2], members[1::2], strict=True):
        pairing_id = ids.take("pairings")
        rows[PairingRow].append(
            _row(
                PairingRow,
                id=pairing_id,
                platform=PLATFORM,
                workspace_id=ws,
                kind="round",
                circle_id=circle_id,
                round_id=round_id,
                created_at=moment,
                agreement_checked_at=moment + timedelta(days=3),
            )
        )
        for member_id in (a, b):
            rows[SeatRow].append(
                _row(
                    SeatRow,
                    id=ids.take("pairing_seats"),
                    pairing_id=pairing_id,
                    member_id=member_id,
                    answer="met",
                    answered_at=moment + timedelta(days=3),
                )
            )


async def seed(engine: AsyncEngine, workspaces: int, first: int = 1) -> float:
    """Workspaces `first` to `workspaces`, in bulk, after any already there; seconds taken."""
    start = time.perf_counter()
    await upgrade(engine)
    ids = _Ids()
    async with engine.connect() as connection:
        for table in TABLES:
            name = str(table.__tablename__)
            top = (await connection.execute(text(f"SELECT MAX(id) FROM {name}"))).scalar()
            ids.next[name] = (top or 0) + 1
    pending: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)

    async def flush(force: bool) -> None:
        for table in TABLES:
            if pending[table] and (force or len(pending[table]) >= CHUNK):
                async with engine.begin() as connection:
                    await connection.execute(insert(table), pending[table])
                pending[table] = []

    for w in range(first, workspaces + 1):
        for table, rows in _workspace_rows(w, ids).items():
            pending[table] += rows
        if w % 25 == 0:
            await flush(force=True)
    await flush(force=True)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            for table in TABLES:
                name = str(table.__tablename__)
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
                )
    return time.perf_counter() - start


# Measuring


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[Counter[str]]:
    """Statements sent while inside, by the job under way (`_Jobs.current`), BEGIN aside."""
    sent: Counter[str] = Counter()

    def count(*args: Any) -> None:
        if not str(args[2]).startswith("BEGIN"):
            sent[_Jobs.current] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


class _Jobs:
    """The tick's jobs, each timed under its own name; what is not a job is the outbox's."""

    current = "outbox"

    def __init__(self, jobs: Sequence[DueJob]) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.wrapped = [self._timed(job) for job in jobs]

    def _timed(self, job: DueJob) -> Callable[[datetime], Awaitable[None]]:
        name = f"{getattr(job, '__self__', job).__class__.__name__}.{job.__name__}"

        async def run(now: datetime) -> None:
            _Jobs.current = name
            start = time.perf_counter()
            try:
                await job(now)
            finally:
                self.seconds[name] += time.perf_counter() - start
                _Jobs.current = "outbox"

        run.__name__ = name
        return run


@dataclass
class Tick:
    seconds: float
    statements: int
    jobs: dict[str, tuple[float, int]]


class Ticker:
    """The scheduler's tick, wired as bootstrap wires it, on a pinned clock."""

    def __init__(self, engine: AsyncEngine, url: str, now: datetime = NOW) -> None:
        settings = parse_settings({"storage": {"url": url}})
        self.clock = ManualClock(now)
        self.engine = engine
        uows = SqlUnitOfWorkFactory(engine, self.clock)
        self.jobs = _Jobs(features.jobs(Wiring(uows, settings.core(), solve_here)))
        outbox = SqlOutboxStore(engine)
        dispatcher = OutboxDispatcher(
            outbox, {PLATFORM: NullMessenger()}, self.clock, budget=outbox
        )
        self.due = DueWork(self.jobs.wrapped, dispatcher, self.clock)

    async def tick(self) -> Tick:
        self.jobs.seconds.clear()
        with counted(self.engine) as sent:
            start = time.perf_counter()
            await self.due.run_due()
            seconds = time.perf_counter() - start
        jobs: dict[str, tuple[float, int]] = {
            name: (self.jobs.seconds[name], sent[name]) for name in self.jobs.seconds
        }
        jobs["outbox (recover, drain)"] = (
            seconds - sum(self.jobs.seconds.values()),
            sent["outbox"],
        )
        return Tick(seconds, sum(sent.values()), jobs)


async def make_one_due(engine: AsyncEngine, w: int, circle: int) -> None:
    """A circle of workspace `w` with no cadence (2 or 3) becomes weekly, its round (and
    check-ins) half an hour ago, as /circle set would: the next tick has one workspace's work."""
    moment = NOW - timedelta(minutes=30)
    since = NOW - timedelta(hours=1)
    async with engine.begin() as connection:
        await connection.execute(
            update(CircleRow)
            .where(
                col(CircleRow.platform) == PLATFORM,
                col(CircleRow.workspace_id) == workspace_id(w),
                col(CircleRow.name_key) == f"circle-{circle}",
            )
            .values(
                cadence=Cadence.WEEKLY.value,
                day="thu",
                time=f"{moment:%H:%M}",
                schedule_since=since,
                round_due_at=since,
            )
        )


async def analyze(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))


async def commands(url: str) -> dict[str, list[float]]:
    """/findbuddy by different members of the first workspace, and /circle info, in ms."""
    settings = parse_settings({"storage": {"url": url}, "console": {"workspace": workspace_id(1)}})
    app: App = await bootstrap(settings, ManualClock(NOW), {PLATFORM: NullMessenger()})
    timings: dict[str, list[float]] = {"/findbuddy": [], "/circle info": []}
    try:
        for n in range(-WARM_UP, COMMANDS):
            for name, line, who in (
                ("/findbuddy", "/findbuddy", f"u{(n + WARM_UP) * 2 % MEMBERS}"),
                ("/circle info", "/circle info circle-0", f"u{(n + WARM_UP) % MEMBERS}"),
            ):
                start = time.perf_counter()
                reply = await app.bus.handle_text(line, actor(workspace_id(1), who))
                if n >= 0:  # the first few start the solver's processes and fill caches
                    timings[name].append((time.perf_counter() - start) * 1000)
                if not reply.text:
                    raise RuntimeError(f"{line!r} gave no answer")
    finally:
        await app.close()
    return timings


async def plans(engine: AsyncEngine, ticker: Ticker) -> list[tuple[str, str, str]]:
    """Each distinct statement of an idle tick that reads rows, with its plan."""
    seen: dict[str, tuple[str, Any]] = {}

    def record(conn: Any, cursor: Any, sql: str, params: Any, *rest: Any) -> None:
        verb = sql.lstrip().split()[0].upper()
        if verb in ("SELECT", "UPDATE", "DELETE") and sql not in seen:
            seen[sql] = (_Jobs.current, params)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await ticker.tick()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    statements = [(sql, params) for sql, (_, params) in seen.items()]
    plans = await plan_steps(engine, statements, seqscan_off=False)
    return [
        (job, " ".join(sql.split())[:160], "; ".join(steps))
        for (sql, (job, _)), steps in zip(seen.items(), plans, strict=True)
    ]


@dataclass
class Measured:
    seed_seconds: float
    idle: dict[bool, Tick]
    round_day: Tick
    one_due: dict[bool, Tick]
    commands: dict[str, list[float]]
    peak_kib_per_workspace: float
    plans: list[tuple[str, str, str]]


async def measure(url: str, workspaces: int, with_plans: bool) -> Measured:
    engine = create_engine(url)
    try:
        seeded = await seed(engine, workspaces)
        ticker = Ticker(engine, url)
        await ticker.tick()  # anything the seed left owed goes out; later ticks are idle
        idle: dict[bool, Tick] = {}
        one_due: dict[bool, Tick] = {}
        round_day = await Ticker(engine, url, ROUND_DAY).tick()
        for analyzed in (False, True):
            if analyzed:
                await analyze(engine)
            ticks = [await ticker.tick() for _ in range(IDLE_TICKS)]
            idle[analyzed] = sorted(ticks, key=lambda t: t.seconds)[len(ticks) // 2]
            await make_one_due(engine, min(workspaces, 1 + analyzed), WEEKLY + analyzed)
            one_due[analyzed] = await ticker.tick()
        tracemalloc.start()
        await ticker.tick()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        found = await plans(engine, ticker) if with_plans else []
    finally:
        await engine.dispose()
    timings = await commands(url)
    return Measured(seeded, idle, round_day, one_due, timings, peak / 1024 / workspaces, found)


async def _fresh(url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    if url.startswith("postgresql"):
        from tests.support.databases import create_database, drop_database

        created = await create_database(url)
        return created, lambda: drop_database(url, created)
    path = Path(tempfile.mkdtemp()) / "bench.db"

    async def remove() -> None:
        await asyncio.to_thread(shutil.rmtree, path.parent, True)

    return f"sqlite+aiosqlite:///{path}", remove


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _column(m: Measured, base: Measured) -> dict[str, str]:
    column = {"seeded in (s)": f"{m.seed_seconds:.1f}"}
    for analyzed, label in ((False, ""), (True, ", after ANALYZE")):
        tick, due = m.idle[analyzed], m.one_due[analyzed]
        column[f"idle tick (ms){label}"] = _ms(tick.seconds)
        column[f"idle tick: statements{label}"] = f"{tick.statements:,}"
        rest = [(n, s) for n, s in tick.jobs.items() if not n.startswith("CheckinJobs")]
        column[f"idle tick without check-ins (ms), statements{label}"] = (
            f"{_ms(sum(s for _, (s, _) in rest))}, {sum(c for _, (_, c) in rest)}"
        )
        column[f"one workspace due (ms){label}"] = _ms(due.seconds)
    day = m.round_day
    column["idle tick 3 h after every round ran (ms), statements"] = (
        f"{_ms(day.seconds)}, {day.statements:,}"
    )
    rounds = day.jobs["BuddyJobs.run_scheduled_rounds"]
    column["  of which the round job (ms), statements"] = f"{_ms(rounds[0])}, {rounds[1]:,}"
    for name, samples in m.commands.items():
        ratio = _percentile(samples, 0.99) / _percentile(base.commands[name], 0.99)
        column[f"{name} p50 / p99 (ms), p99 vs W=1"] = f"{_p50_p99(samples)}, {ratio:.2f}x"
    column["tick's peak allocation per workspace (KiB)"] = f"{m.peak_kib_per_workspace:.1f}"
    return column


def _share(job: tuple[float, int]) -> str:
    return f"{_ms(job[0])} ms, {job[1]}"


def _jobs_table(results: dict[str, Measured], ticks: Callable[[Measured], Tick]) -> str:
    """Each job's share of one tick of each run: ms and statements."""
    names = list(ticks(next(iter(results.values()))).jobs)
    table = {
        run: {name: _share(ticks(m).jobs.get(name, (0.0, 0))) for name in names}
        for run, m in results.items()
    }
    return measures_table(table)


async def run(targets: dict[str, str], sizes: Sequence[int]) -> str:
    """The page's markdown: per database, the measures, each job's share and the plans."""
    out: list[str] = []
    for database, admin_url in targets.items():
        results: dict[str, Measured] = {}
        for workspaces in sizes:
            url, drop = await _fresh(admin_url)
            try:
                largest = workspaces == max(sizes)
                results[f"W={workspaces:,}"] = await measure(url, workspaces, largest)
            finally:
                await drop()
            print(f"{database}: W={workspaces:,} measured", file=sys.stderr, flush=True)
        base = next(iter(results.values()))
        out += [f"### {database}", ""]
        out += [measures_table({run: _column(m, base) for run, m in results.items()}), ""]
        out += ["Each job's share of the idle tick after ANALYZE (ms, statements):", ""]
        out += [_jobs_table(results, lambda m: m.idle[True]), ""]
        out += ["Each job's share of the tick with one workspace due, after ANALYZE:", ""]
        out += [_jobs_table(results, lambda m: m.one_due[True]), ""]
        out += [f"Query plans of the idle tick at W={max(sizes):,} after ANALYZE:", ""]
        largest_run = results[f"W={max(sizes):,}"]
        out += [f"- `{job}`: `{sql}`\n  - {plan}" for job, sql, plan in largest_run.plans]
        out += [""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="workspace counts, comma-separated"
    )
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    parser.add_argument("--write", action="store_true", help=f"put the tables into {DOCS.name}")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    targets = {"SQLite (file, WAL)": "sqlite"}
    postgres = os.environ.get("CIRCLES_TEST_POSTGRES_URL")
    if postgres and not args.sqlite_only:
        targets["PostgreSQL"] = postgres
    if args.postgres_only:
        del targets["SQLite (file, WAL)"]
    markdown = asyncio.run(run(targets, sizes))
    print(markdown)
    if args.write:
        write_block("workspaces", markdown)


if __name__ == "__main__":
    main()

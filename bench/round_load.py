"""Commands while a round of 10,000 runs (issue 20): does the round hold up anyone's command?

A SQLite file (or, with --postgres URL, a throwaway PostgreSQL database) gets a circle of 10,000
members with profiles and a weekly round (bench.round_seed), and the bot is built by the real
bootstrap (process-pool solver and all) on a pinned clock. A few hundred other members type
commands through the app's bus at a steady RATE a second, each in turn /buddy, /pause 1d,
/buddy, /pause off; a command's latency runs from the moment it was due to be sent (so a stalled
loop counts against it) to its reply. Measured, each week's round:
- command latency with nothing else running (the baseline), then while the app's due work runs
  the circle's scheduled round (BuddyJobs.run_scheduled_rounds) and delivers what it queued;
- the longest event-loop stall: a ticker sleeping TICK at a time, the largest gap past TICK;
- the round's wall time: planning (loading and building candidates), solving, writing
  (pairings and the outbox), and the commit.
The first week's round (no previous round to end) runs before any measuring; each measured
round ends the previous week's pairings, as a weekly circle's round does; between rounds 85% of
the pairs say they met (bench.round_seed.answer_meetings), the rest say nothing.

Run: .venv/bin/python -m bench.round_load   (--write puts the table into docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from unittest import mock

import bot.buddies.jobs
import bot.features
from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.config import parse_settings
from adapters.console.people import actor
from adapters.solver_pool import PooledSolver
from bench.commands import NullMessenger
from bench.results_page import DOCS, write_block
from bench.round_seed import ROUND_AT, WORKSPACE, answer_meetings, seed_circle
from bot.runtime.due import DueJob
from bot.runtime.feature import Wiring
from tests.support.databases import create_database, drop_database

MEMBERS = 10_000
SENDERS = 300
RATE = 20.0  # commands a second
BASELINE_SECONDS = 15.0
TICK = 0.010
SLOW_JOB = 0.5  # seconds: a due job this slow gets a row of its own
WEEKS = 3
COMMANDS = ("/buddy", "/pause 1d", "/buddy", "/pause off")
P = ParamSpec("P")
R = TypeVar("R")


class Phases:
    """When each part of the round began and ended (perf_counter seconds), last run wins."""

    def __init__(self) -> None:
        self.spans: dict[str, tuple[float, float]] = {}

    def seconds(self, name: str) -> float:
        start, end = self.spans[name]
        return end - start

    def timing(self, name: str, work: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        async def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            start = time.perf_counter()
            try:
                return await work(*args, **kwargs)
            finally:
                self.spans[name] = (start, time.perf_counter())

        return timed


@contextmanager
def timed_round(phases: Phases) -> Iterator[None]:
    """Every due job (by name), the round's planning (solving included), the solver and the
    writing, each timed."""
    targets: list[tuple[Any, str, str]] = [
        (bot.buddies.jobs, "plan_round", "plan"),
        (PooledSolver, "__call__", "solve"),
        (bot.buddies.jobs, "run_round", "write"),
    ]
    every_job = bot.features.jobs

    def timed_jobs(wiring: Wiring) -> list[DueJob]:
        return [phases.timing(_name(job), job) for job in every_job(wiring)]

    with ExitStack() as stack:
        for owner, name, phase in targets:
            stack.enter_context(
                mock.patch.object(owner, name, phases.timing(phase, getattr(owner, name)))
            )
        stack.enter_context(mock.patch.object(bot.features, "jobs", timed_jobs))
        yield


def _name(job: DueJob) -> str:
    return getattr(job, "__qualname__", repr(job))


class Ticker:
    """Wakes every TICK; the gaps past TICK are how long the loop was held by someone else."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.over_100ms = 0

    async def run(self, stop: asyncio.Event) -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            late = now - last - TICK
            self.longest = max(self.longest, late)
            self.over_100ms += late > 0.1
            last = now


class Load:
    """RATE commands a second from SENDERS members in turn; latency from when each was due."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._sent = 0
        self.samples: list[tuple[float, float]] = []  # (due at, latency s)
        self.failed = 0

    async def run(self, stop: asyncio.Event) -> None:
        tasks: list[asyncio.Task[None]] = []
        due = time.perf_counter()
        while not stop.is_set():
            tasks.append(asyncio.create_task(self._one(self._sent, due)))
            self._sent += 1
            due += 1 / RATE
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        await asyncio.gather(*tasks)

    async def _one(self, n: int, due: float) -> None:
        line = COMMANDS[(n // SENDERS) % len(COMMANDS)]
        reply = await self._app.bus.handle_text(line, actor(WORKSPACE, f"sender{n % SENDERS}"))
        self.samples.append((due, time.perf_counter() - due))
        self.failed += not reply.ok

    def between(self, start: float, end: float) -> list[float]:
        return [latency for due, latency in self.samples if start <= due <= end]


async def _under_load(app: App, work: Callable[[], Awaitable[object]] | None) -> dict[str, Any]:
    """Commands (and the ticker) for BASELINE_SECONDS, or from a second before `work` until it
    ends; the latencies of commands due while it ran."""
    stop, load, ticker = asyncio.Event(), Load(app), Ticker()
    running = [asyncio.create_task(load.run(stop)), asyncio.create_task(ticker.run(stop))]
    await asyncio.sleep(1.0 if work else BASELINE_SECONDS)
    start = time.perf_counter()
    if work:
        await work()
    end = time.perf_counter()
    stop.set()
    await asyncio.gather(*running)
    window = load.between(start, end) if work else [s for _, s in load.samples]
    return {"latency": window, "stall": ticker.longest, "failed": load.failed, "wall": end - start}


async def run(url: str, members: int = MEMBERS, weeks_: int = WEEKS) -> list[Week]:
    seeded = await seed_circle(url, members)
    print(f"seeded {seeded.members} members ({seeded.mentors} mentors)", file=sys.stderr)
    phases = Phases()
    clock = ManualClock(ROUND_AT - timedelta(weeks=1))
    settings = parse_settings({"storage": {"url": url}, "console": {"workspace": WORKSPACE}})
    weeks: list[Week] = []
    with timed_round(phases):
        app = await bootstrap(settings, clock, {"console": NullMessenger()})
        try:
            for n in range(SENDERS):  # every sender known before anything is measured
                await app.bus.handle_text("/help", actor(WORKSPACE, f"sender{n}"))
            started = time.perf_counter()
            await app.due.run_due()  # the first week's round: nothing to end yet
            print(f"first round: {time.perf_counter() - started:.1f} s", file=sys.stderr)
            for week in range(weeks_):
                await answer_meetings(app.engine, seeded.circle_id, clock.now() + timedelta(days=4))
                clock.advance(timedelta(weeks=1))
                baseline = await _under_load(app, None)
                during = await _under_load(app, app.due.run_due)
                weeks.append(_week(baseline, during, phases))
                print(f"week {week + 1}:\n{table(weeks[-1:])}", file=sys.stderr)
        finally:
            await app.close()
    return weeks


@dataclass(frozen=True)
class Week:
    """One week's measures: latencies and stalls in seconds, the round's parts in seconds."""

    baseline: list[float]
    during: list[float]
    stall_baseline: float
    stall_during: float
    failed_baseline: int
    failed_during: int
    parts: dict[str, float]


def _week(baseline: dict[str, Any], during: dict[str, Any], phases: Phases) -> Week:
    solve = phases.seconds("solve")
    plan = phases.seconds("plan") - solve
    write = phases.seconds("write")
    job = phases.seconds("BuddyJobs.run_scheduled_rounds")
    others = {
        name: phases.seconds(name)
        for name in phases.spans
        if "." in name and name != "BuddyJobs.run_scheduled_rounds"
    }
    slow = sorted((seconds, name) for name, seconds in others.items() if seconds >= SLOW_JOB)
    return Week(
        baseline["latency"],
        during["latency"],
        baseline["stall"],
        during["stall"],
        baseline["failed"],
        during["failed"],
        {
            "round: planning (loading, candidates)": plan,
            "round: solving (worker process)": solve,
            "round: writing (pairings, outbox)": write,
            "round: the rest (holidays, commit)": job - plan - solve - write,
            "round: the round job, in all": job,
        }
        | {f"due work: {name}": seconds for seconds, name in reversed(slow)}
        | {
            "due work: delivering what was queued": during["wall"] - job - sum(others.values()),
            "due work in all, the round included": during["wall"],
        },
    )


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _row(
    name: str, weeks: list[Week], alone: Callable[[Week], float], busy: Callable[[Week], float]
) -> str:
    """Medians over the weeks, and the median of each week's ratio to its own baseline."""
    a, b = statistics.median(map(alone, weeks)), statistics.median(map(busy, weeks))
    ratio = statistics.median(busy(w) / alone(w) for w in weeks)
    return f"| {name} | {a * 1000:.0f} | {b * 1000:.0f} | {ratio:.1f}x |"


def table(weeks: list[Week]) -> str:
    lines = ["| measure | baseline | while the round runs | ratio |", "|---|---:|---:|---:|"]
    for name, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)):
        lines.append(
            _row(
                f"command {name} (ms)",
                weeks,
                lambda w: _percentile(w.baseline, share),  # noqa: B023 (used at once)
                lambda w: _percentile(w.during, share),  # noqa: B023
            )
        )
    lines.append(
        _row(
            "longest event-loop stall (ms)",
            weeks,
            lambda w: w.stall_baseline,
            lambda w: w.stall_during,
        )
    )
    alone, busy = sum(w.failed_baseline for w in weeks), sum(w.failed_during for w in weeks)
    lines.append(f"| commands failed, all weeks | {alone} | {busy} | |")
    for part in dict.fromkeys(part for w in weeks for part in w.parts):
        seconds = statistics.median(w.parts.get(part, 0.0) for w in weeks)
        if part.startswith("due work: ") and "delivery" not in part and seconds < SLOW_JOB:
            continue
        lines.append(f"| {part} (s) | | {seconds:.2f} | |")
    return "\n".join(lines)


async def _fresh(args: argparse.Namespace, folder: Path) -> list[Week]:
    postgres: str | None = args.postgres
    if not postgres:
        return await run(f"sqlite+aiosqlite:///{folder / 'round.db'}", args.members, args.weeks)
    url = await create_database(postgres)
    try:
        return await run(url, args.members, args.weeks)
    finally:
        await drop_database(postgres, url)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.round_load")
    parser.add_argument(
        "--postgres", metavar="URL", help="a server to make a throwaway database on"
    )
    parser.add_argument("--members", type=int, default=MEMBERS, help="the circle's size")
    parser.add_argument("--weeks", type=int, default=WEEKS, help="rounds measured (medians)")
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # a command that times out is counted, not shown
    with tempfile.TemporaryDirectory() as folder:
        markdown = table(asyncio.run(_fresh(args, Path(folder))))
    print(markdown)
    if args.write:
        write_block("round-load-postgres" if args.postgres else "round-load", markdown)


if __name__ == "__main__":
    main()

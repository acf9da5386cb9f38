"""Fair delivery (issue 18): one school's 10,000 prompts in the outbox, then another school's
concern and a third school's routine messages.

A real bot process (tests/support/outbox_worker.py) sends to a fake chat API on 127.0.0.1 that
allows RATE messages a second for the whole bot, as Discord's 50 a second. Once it is busy with
the big school's backlog, a concern is queued in school B and SMALL routine DMs in school C, each
as a command would queue them. Measured, from queuing to the chat API taking them:
- the concern reaching B's moderator (target: within 5 s);
- the last of C's routine messages;
- the rate the backlog kept meanwhile, against RATE, and the 429s.
Each on a fresh database, in the outbox's order (each workspace in its turn) and, as the
baseline in the same run, in the order before it (first in, first out: every turn 0, which is
what migration 0016 gave the rows already queued). A wait past CAP seconds is not sat out: the
table gives the rows still ahead of it and the time they take at RATE.

On a SQLite file, and on PostgreSQL too when CIRCLES_TEST_POSTGRES_URL is set.

Run: make bench   (or .venv/bin/python -m bench.fair_delivery; --write puts the table into
docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from adapters.clock import ManualClock
from bench.results_page import DOCS, runs_table, write_block
from bot.kernel.model import Destination, MemberRef, OutgoingMessage, Priority
from storage.database import create_engine
from storage.outbox.tables import OutboxRow
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.databases import create_database, drop_database
from tests.support.fake_chat import FakeChat
from tests.support.outbox_worker import PLATFORM
from tests.support.seeding import seed_prompts
from tests.support.worker_process import PINNED, WorkerProcess, write_config

BACKLOG = 10_000
SMALL = 20
RATE = 50.0
BURST = 10
BUSY_AFTER = 250
"""Deliveries of the backlog before the other schools queue theirs."""
CAP = 60.0
TIMEOUT = 300.0
ORDERS = ("each workspace in its turn", "first in, first out (before)")


@dataclass
class Outcome:
    concern_seconds: float | None
    small_seconds: float | None
    small_ahead: int
    """Rows still ahead of C's last message when the wait was capped (0 if it arrived)."""
    backlog_rate: float
    too_many: int

    def rows(self) -> dict[str, str]:
        return {
            "concern from school B reached its moderator (s)": _seconds(self.concern_seconds, 0),
            f"last of school C's {SMALL} routine DMs (s)": _seconds(
                self.small_seconds, self.small_ahead
            ),
            f"backlog's rate meanwhile (of {RATE:.0f}/s)": f"{self.backlog_rate:.1f}",
            "429s": str(self.too_many),
        }


def _seconds(value: float | None, ahead: int) -> str:
    if value is not None:
        return f"{value:.2f}"
    return f"> {CAP:.0f} ({ahead:,} rows ahead: ~{ahead / RATE:.0f} s at {RATE:.0f}/s)"


async def _queue_others(url: str, first_in_first_out: bool) -> None:
    """School B's concern and school C's routine DMs, each school's as one command queues it."""
    engine = create_engine(url)
    uows = SqlUnitOfWorkFactory(engine, ManualClock(PINNED))
    try:
        async with uows() as uow:
            to = Destination.dm(MemberRef(PLATFORM, "school-b", "moderator-b"))
            concern = OutgoingMessage("concern-b", to, "concern", priority=Priority.CONCERN)
            await uow.outbox.add(concern, PINNED)
            await uow.commit()
        async with uows() as uow:
            for n in range(SMALL):
                to = Destination.dm(MemberRef(PLATFORM, "school-c", f"c{n}"))
                await uow.outbox.add(OutgoingMessage(f"c{n}", to, "routine"), PINNED)
            await uow.commit()
        if first_in_first_out:
            await _every_turn_zero(engine)
    finally:
        await engine.dispose()


async def _every_turn_zero(engine: AsyncEngine) -> None:
    """The order before migration 0016: most urgent, then oldest."""
    async with engine.begin() as connection:
        await connection.execute(update(OutboxRow).values(turn=0))


async def _ahead_of_last_small(url: str) -> int:
    """Waiting rows claimed before school C's last waiting message, C's own not counted."""
    engine = create_engine(url)
    order = (col(OutboxRow.priority), col(OutboxRow.turn), col(OutboxRow.id))
    query = select(col(OutboxRow.workspace_id)).where(col(OutboxRow.status) == "pending")
    try:
        async with engine.connect() as connection:
            waiting = (await connection.execute(query.order_by(*order))).scalars().all()
    finally:
        await engine.dispose()
    if "school-c" not in waiting:
        return 0
    last = len(waiting) - 1 - waiting[::-1].index("school-c")
    return sum(1 for workspace in waiting[:last] if workspace != "school-c")


async def deliver(url: str, folder: Path, order: str) -> Outcome:
    fifo = order != ORDERS[0]
    chat = FakeChat(rate=RATE, burst=BURST, dedupe_nonces=True)
    await chat.start()
    try:
        await seed_prompts(url, BACKLOG, platform=PLATFORM, workspace_id="school-a")
        if fifo:
            engine = create_engine(url)
            try:
                await _every_turn_zero(engine)
            finally:
                await engine.dispose()
        config = write_config(folder / "config.toml", url, tick_seconds=1, lease_seconds=30)
        log = folder / "worker.log"
        worker = await WorkerProcess.start(config, chat.url, log=log, rate=RATE, resend_safe=True)
        try:
            await chat.wait_until(lambda c: len(c.deliveries) >= BUSY_AFTER, TIMEOUT)
            queued_at, before = time.monotonic(), len(chat.deliveries)
            await _queue_others(url, fifo)
            smalls = {f"c{n}" for n in range(SMALL)}
            with suppress(TimeoutError):
                await chat.wait_until(
                    lambda c: (
                        smalls <= {d.to for d in c.deliveries}
                        and "moderator-b" in {d.to for d in c.deliveries}
                    ),
                    CAP,
                )
            ended_at = time.monotonic()
            ahead = await _ahead_of_last_small(url)
        finally:
            if await worker.stop() != 0:
                raise RuntimeError(f"the worker did not stop cleanly:\n{worker.errors()}")
        times = {d.to: d.at for d in chat.deliveries}
        concern = times.get("moderator-b")
        small_times = [times[s] for s in smalls if s in times]
        small_done = len(small_times) == SMALL
        window = [d for d in chat.deliveries[before:] if d.at <= ended_at]
        span = max(ended_at - queued_at, 1e-9)
        return Outcome(
            concern_seconds=None if concern is None else concern - queued_at,
            small_seconds=max(small_times) - queued_at if small_done else None,
            small_ahead=0 if small_done else ahead,
            backlog_rate=len(window) / span,
            too_many=chat.too_many,
        )
    finally:
        await chat.close()


async def run(folder: Path) -> dict[str, dict[str, str]]:
    postgres = os.environ.get("CIRCLES_TEST_POSTGRES_URL")
    results: dict[str, dict[str, str]] = {}
    for name in ["SQLite", *(["PostgreSQL"] if postgres else [])]:
        for order in ORDERS:
            column = f"{name}: {order}"
            print(f"fair delivery: {column} ...", file=sys.stderr, flush=True)
            if postgres and name == "PostgreSQL":
                url = await create_database(postgres)
            else:
                url = f"sqlite+aiosqlite:///{folder / f'fair-{len(results)}.db'}"
            try:
                results[column] = (await deliver(url, folder, order)).rows()
            finally:
                if postgres and name == "PostgreSQL":
                    await drop_database(postgres, url)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.fair_delivery")
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        markdown = runs_table(asyncio.run(run(Path(folder))), "database: order")
    print(markdown)
    if args.write:
        write_block("fair-delivery", markdown)


if __name__ == "__main__":
    main()

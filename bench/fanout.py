"""Fan-out (issue 5): one period's check-in prompts to 10,000 members through the outbox.

A real bot process (tests/support/outbox_worker.py: the real bootstrap, ticker and dispatcher) sends
them to a fake chat API on 127.0.0.1 that allows RATE messages a second (a bucket BURST deep) and
answers 429 with Retry-After past it, and drops repeated nonces as Discord does. Measured:
- how long the prompts took against the time the limit allows (N / RATE), as a share of the
  allowed rate (target: at least 90%);
- 429s received, prompts lost and prompts duplicated (both must be 0);
- the same when the sending process is SIGKILLed once halfway and a new one started at once.

On a SQLite file, and on PostgreSQL too when CIRCLES_TEST_POSTGRES_URL is set.

Run: make bench   (or .venv/bin/python -m bench.fanout; --write puts the table into
docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from bench.results_page import DOCS, measures_table, write_block
from bot.kernel.model import OutboxStatus
from storage.database import create_engine
from storage.outbox.store import SqlOutboxStore
from tests.support.databases import create_database, drop_database
from tests.support.fake_chat import FakeChat
from tests.support.outbox_worker import PLATFORM
from tests.support.seeding import seed_prompts
from tests.support.worker_process import WorkerProcess, write_config

MEMBERS = 10_000
RATE = 400.0
BURST = 10
LEASE_SECONDS = 10
CONCURRENCY = 4
KILL_AT = MEMBERS // 2
TIMEOUT = 300.0


@dataclass
class Outcome:
    first_to_last: float
    start_to_last: float
    longest_pause: float
    too_many: int
    lost: int
    duplicated: int
    repeats_dropped: int
    not_marked_sent: int
    job_seconds: float

    def rows(self) -> dict[str, str]:
        allowed = MEMBERS / RATE
        return {
            "first to last delivery (s)": f"{self.first_to_last:.2f}",
            f"time the limit allows, {MEMBERS:,} / {RATE:.0f} per s (s)": f"{allowed:.2f}",
            "**share of the allowed rate** (target >= 90%)": (
                f"**{allowed / self.first_to_last:.1%}**"
            ),
            "process start to last delivery (s)": f"{self.start_to_last:.2f}",
            "longest pause between two deliveries (s)": f"{self.longest_pause:.2f}",
            "429s received": f"{self.too_many}",
            "**prompts lost / duplicated**": f"**{self.lost} / {self.duplicated}**",
            "resends dropped by the nonce": f"{self.repeats_dropped}",
            "outbox rows not marked sent at the end": f"{self.not_marked_sent}",
            f"the check-in job opening all {MEMBERS:,} (one tick, s)": f"{self.job_seconds:.2f}",
        }


async def fan_out(url: str, folder: Path, *, kill_halfway: bool) -> Outcome:
    chat = FakeChat(rate=RATE, burst=BURST, dedupe_nonces=True)
    await chat.start()
    try:
        seeded = await seed_prompts(url, MEMBERS, platform=PLATFORM)
        members = seeded.recipients
        config = write_config(
            folder / "config.toml",
            url,
            tick_seconds=1,
            lease_seconds=LEASE_SECONDS,
            concurrency=CONCURRENCY,
        )
        log = folder / "worker.log"
        started = time.monotonic()
        worker = await WorkerProcess.start(config, chat.url, log=log, rate=RATE, resend_safe=True)
        try:
            if kill_halfway:
                await chat.wait_until(lambda c: len(c.deliveries) >= KILL_AT, TIMEOUT)
                await worker.kill()
                worker = await WorkerProcess.start(
                    config, chat.url, log=log, rate=RATE, resend_safe=True
                )
            with suppress(TimeoutError):  # what never arrived is counted as lost below
                await chat.wait_until(lambda c: len(c.received()) == MEMBERS, TIMEOUT)
        finally:
            if await worker.stop() != 0:
                raise RuntimeError(f"the worker did not stop cleanly:\n{worker.errors()}")
        received = chat.received()
        times = [d.at for d in chat.deliveries]
        return Outcome(
            first_to_last=max(times) - min(times),
            start_to_last=max(times) - started,
            longest_pause=max(b - a for a, b in itertools.pairwise(times)),
            too_many=chat.too_many,
            lost=sum(1 for m in members if received[m] == 0),
            duplicated=sum(count - 1 for count in received.values() if count > 1),
            repeats_dropped=chat.repeats_dropped,
            not_marked_sent=await _not_marked_sent(url),
            job_seconds=seeded.job_seconds,
        )
    finally:
        await chat.close()


async def _not_marked_sent(url: str) -> int:
    engine = create_engine(url)
    try:
        entries = await SqlOutboxStore(engine).entries()
        return sum(1 for entry in entries if entry.status is not OutboxStatus.SENT)
    finally:
        await engine.dispose()


async def run(folder: Path) -> dict[str, dict[str, str]]:
    """Each scenario on a fresh database: SQLite, then PostgreSQL when configured."""
    postgres = os.environ.get("CIRCLES_TEST_POSTGRES_URL")
    results: dict[str, dict[str, str]] = {}
    for name in ["SQLite", *(["PostgreSQL"] if postgres else [])]:
        for kill in (False, True):
            column = f"{name}, killed halfway" if kill else name
            print(f"fan-out: {column} ...", file=sys.stderr, flush=True)
            if postgres and name == "PostgreSQL":
                url = await create_database(postgres)
            else:
                url = f"sqlite+aiosqlite:///{folder / f'fanout-{len(results)}.db'}"
            try:
                results[column] = (await fan_out(url, folder, kill_halfway=kill)).rows()
            finally:
                if postgres and name == "PostgreSQL":
                    await drop_database(postgres, url)
    return results


def write_docs(markdown: str) -> None:
    write_block("fanout", markdown)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.fanout")
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        markdown = measures_table(asyncio.run(run(Path(folder))))
    print(markdown)
    if args.write:
        write_docs(markdown)


if __name__ == "__main__":
    main()

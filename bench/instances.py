"""Several instances, one platform budget (issue 18): 10,000 check-in prompts sent by 1, 2 and 3
bot processes sharing one PostgreSQL database, to a fake chat API on 127.0.0.1 that allows RATE
messages a second for the whole bot (Discord's 50) and answers 429 past it.

Each process is the real bootstrap, ticker and dispatcher (tests/support/outbox_worker.py), told
the platform's rate. Measured per run: the share of the allowed rate (N / RATE over first to
last delivery), the longest pause between two deliveries, 429s, what each instance sent, and
prompts lost or sent twice. One instance is the baseline of the same run.

Needs CIRCLES_TEST_POSTGRES_URL (several instances share PostgreSQL; SQLite is one process's).

Run: make bench   (or .venv/bin/python -m bench.instances; --write puts the table into
docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
from collections import Counter
from contextlib import suppress
from pathlib import Path

from bench.results_page import DOCS, measures_table, write_block
from tests.support.databases import create_database, drop_database
from tests.support.fake_chat import FakeChat
from tests.support.outbox_worker import PLATFORM
from tests.support.seeding import seed_prompts
from tests.support.worker_process import WorkerProcess, write_config

PROMPTS = 10_000
RATE = 50.0
BURST = 10
INSTANCES = (1, 2, 3)
TIMEOUT = 900.0


async def send_with(instances: int, url: str, folder: Path) -> dict[str, str]:
    chat = FakeChat(rate=RATE, burst=BURST, dedupe_nonces=True)
    await chat.start()
    try:
        members = (await seed_prompts(url, PROMPTS, platform=PLATFORM)).recipients
        config = write_config(folder / "config.toml", url, tick_seconds=1, lease_seconds=30)
        workers = [
            await WorkerProcess.start(
                config, chat.url, log=folder / f"worker{n}.log", rate=RATE, resend_safe=True
            )
            for n in range(instances)
        ]
        try:
            with suppress(TimeoutError):  # what never arrived is counted as lost below
                await chat.wait_until(lambda c: len(c.received()) == PROMPTS, TIMEOUT)
        finally:
            for worker in workers:
                if await worker.stop() != 0:
                    raise RuntimeError(f"a worker did not stop cleanly:\n{worker.errors()}")
        received = chat.received()
        times = [d.at for d in chat.deliveries]
        by_sender = Counter(d.sender for d in chat.deliveries)
        share = PROMPTS / RATE / (max(times) - min(times))
        lost = sum(1 for m in members if received[m] == 0)
        duplicated = sum(count - 1 for count in received.values() if count > 1)
        return {
            "**share of the allowed rate** (target >= 90%)": f"**{share:.1%}**",
            "longest pause between two deliveries (s)": (
                f"{max(b - a for a, b in itertools.pairwise(times)):.2f}"
            ),
            "429s received": str(chat.too_many),
            "sent by each instance": " / ".join(f"{n:,}" for n in sorted(by_sender.values())),
            "**prompts lost / duplicated**": f"**{lost} / {duplicated}**",
        }
    finally:
        await chat.close()


async def run(folder: Path, postgres: str) -> dict[str, dict[str, str]]:
    results: dict[str, dict[str, str]] = {}
    for instances in INSTANCES:
        column = f"{instances} instance{'s' if instances > 1 else ''}"
        print(f"instances: {column} ...", file=sys.stderr, flush=True)
        url = await create_database(postgres)
        try:
            results[column] = await send_with(instances, url, folder)
        finally:
            await drop_database(postgres, url)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.instances")
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    args = parser.parse_args()
    postgres = os.environ.get("CIRCLES_TEST_POSTGRES_URL")
    if not postgres:
        print("bench.instances: set CIRCLES_TEST_POSTGRES_URL; skipped", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        markdown = measures_table(asyncio.run(run(Path(folder), postgres)))
    print(markdown)
    if args.write:
        write_block("instances", markdown)


if __name__ == "__main__":
    main()

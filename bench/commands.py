"""How fast the foundation answers and delivers, through the real bootstrap.

Measures, on a SQLite file (and on PostgreSQL when CIRCLES_TEST_POSTGRES_URL is set):
- the latency of a read command (/circle info) and a write command (/profile set), one at a time;
- 50 members typing a write command in the same instant (SQLite serialises writers with
  BEGIN IMMEDIATE): how long until all have their answer, and how many failed;
- the outbox: 5,000 queued messages drained to a platform that accepts instantly.

Run: make bench   (or .venv/bin/python -m bench.commands)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from adapters.bootstrap import App, bootstrap
from adapters.clock import OffsetClock
from adapters.config import parse_settings
from adapters.console.demo import seed_demo
from adapters.console.people import actor
from bot.kernel.model import Destination, MemberRef, OutboxEntry, OutgoingMessage
from bot.kernel.ports import Delivery, Sent
from tests.support.worker_process import PINNED

SEQUENTIAL = 300
CONCURRENT = 50
OUTBOX = 5_000


class NullMessenger:
    platform: str = "console"
    resend_is_safe: bool = True
    max_per_second: float | None = None

    async def send(self, entry: OutboxEntry) -> Delivery:
        return Sent()


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _p50_p99(samples: list[float]) -> str:
    return f"{statistics.median(samples):.1f} / {_percentile(samples, 0.99):.1f}"


async def _timed(app: App, line: str, name: str) -> float:
    start = time.perf_counter()
    reply = await app.bus.handle_text(line, actor("bench", name))
    elapsed = (time.perf_counter() - start) * 1000
    if not reply.ok:
        raise RuntimeError(f"{line!r} failed: {reply.text}")
    return elapsed


async def _queue_outbox(app: App) -> None:
    from storage.unit_of_work import SqlUnitOfWorkFactory  # the bench may look behind the ports

    uows = SqlUnitOfWorkFactory(app.engine, OffsetClock(PINNED))
    now = PINNED
    async with uows() as uow:
        for i in range(OUTBOX):
            ref = MemberRef("console", "bench", f"m{i}")
            await uow.outbox.add(OutgoingMessage(f"bench:{i}", Destination.dm(ref), "hi"), now)
        await uow.commit()


async def run(url: str) -> dict[str, str]:
    settings = parse_settings({"storage": {"url": url}, "console": {"workspace": "bench"}})
    app = await bootstrap(settings, OffsetClock(PINNED), {"console": NullMessenger()})
    try:
        await seed_demo(app.bus, "bench")
        reads = [await _timed(app, "/circle info algebra-club", "Ada") for _ in range(SEQUENTIAL)]
        writes = [
            await _timed(app, f"/profile set bio bench {i}", "Ada") for i in range(SEQUENTIAL)
        ]
        start = time.perf_counter()
        together = await asyncio.gather(
            *(_timed(app, "/profile set stage 9", f"Member{i}") for i in range(CONCURRENT)),
            return_exceptions=True,
        )
        burst = time.perf_counter() - start
        failed = sum(isinstance(r, BaseException) for r in together)
        latencies = [r for r in together if isinstance(r, float)]
        await _queue_outbox(app)
        start = time.perf_counter()
        drained = await app.due.deliver()
        drain_seconds = time.perf_counter() - start
    finally:
        await app.close()
    return {
        "read p50 / p99 (ms)": _p50_p99(reads),
        "write p50 / p99 (ms)": _p50_p99(writes),
        f"{CONCURRENT} writers at once: all answered (ms)": f"{burst * 1000:.0f}",
        f"{CONCURRENT} writers at once: p99 (ms), failed": (
            f"{_percentile(latencies, 0.99) if latencies else float('nan'):.0f}, {failed}"
        ),
        f"outbox: {OUTBOX} delivered (s), per second": (
            f"{drain_seconds:.2f}, {drained.sent / drain_seconds:,.0f}"
        ),
    }


def main() -> None:
    targets = {}
    with tempfile.TemporaryDirectory() as folder:
        targets["SQLite (file, WAL)"] = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        if postgres := os.environ.get("CIRCLES_TEST_POSTGRES_URL"):
            targets["PostgreSQL"] = postgres
        results = {name: asyncio.run(_fresh(name, url)) for name, url in targets.items()}
    rows = list(next(iter(results.values())))
    print("| measure | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for row in rows:
        print(f"| {row} | " + " | ".join(r[row] for r in results.values()) + " |")
    sys.stdout.flush()


async def _fresh(name: str, url: str) -> dict[str, str]:
    if url.startswith("postgresql"):
        # a throwaway database, as the tests make
        from tests.support.databases import create_database

        url = await create_database(url)
    return await run(url)


if __name__ == "__main__":
    main()

"""Slack's limits per channel and method (issue 18): a busy workspace posts 20 kudos to one
channel and DMs 40 members while another workspace DMs 20, through the real SlackMessenger and
dispatcher, to the fake Slack on 127.0.0.1 enforcing Slack's one post a second per channel (a
burst of two) with 429 and Retry-After past it.

The outbox is the SQL store on a SQLite file (its budget too); with CIRCLES_TEST_POSTGRES_URL
also two instances (two dispatchers, each with its own engine) on one PostgreSQL database,
sharing the budget. The baseline of the same run is the outbox before: the platform's pace alone
and a 429 holding all of Slack. Measured: the kudos channel's rate, 429s, when the last DM of
each workspace went out, and messages lost or sent twice.

Run: make bench   (or .venv/bin/python -m bench.slack_limits; --write puts the table into
docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import OffsetClock
from adapters.slack.messenger import SlackMessenger
from bench.results_page import DOCS, runs_table, write_block
from bot.kernel.model import Destination, OutboxEntry, OutgoingMessage, WorkspaceRef
from bot.kernel.ports import Delivery, RetryLater
from bot.runtime.outbox import OutboxDispatcher
from storage.database import create_engine, upgrade
from storage.outbox.store import SqlOutboxStore
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.databases import create_database, drop_database
from tests.support.slack_fake import FakeSlack
from tests.support.worker_process import PINNED

KUDOS, BUSY_DMS, OTHER_DMS = 20, 40, 20
RATE = 20.0
"""The Slack lane's pace for the whole app ([slack] sends_per_second)."""
BUSY, OTHER = WorkspaceRef("slack", "T0001"), WorkspaceRef("slack", "T0002")
CHANNEL = "CKUDOS"
TIMEOUT = 300.0


class PlatformPaceOnly:
    """The baseline: the messenger as the outbox saw it before, with no pace per channel or
    method, and every 429 holding all of Slack."""

    def __init__(self, messenger: SlackMessenger) -> None:
        self._messenger = messenger
        self.platform = messenger.platform
        self.resend_is_safe = messenger.resend_is_safe
        self.max_per_second = messenger.max_per_second

    async def send(self, entry: OutboxEntry) -> Delivery:
        outcome = await self._messenger.send(entry)
        if isinstance(outcome, RetryLater):
            return dataclasses.replace(outcome, scope=None)
        return outcome


def _messages() -> list[OutgoingMessage]:
    kudos = [
        OutgoingMessage(f"kudos:{n}", Destination(BUSY, "channel", CHANNEL), f"kudos {n}")
        for n in range(KUDOS)
    ]
    busy = [
        OutgoingMessage(f"dm:b{n}", Destination(BUSY, "dm", f"UB{n:03}"), f"dm b{n}")
        for n in range(BUSY_DMS)
    ]
    other = [
        OutgoingMessage(f"dm:o{n}", Destination(OTHER, "dm", f"UO{n:03}"), f"dm o{n}")
        for n in range(OTHER_DMS)
    ]
    return kudos + busy + other


async def _run(url: str, instances: int, paced: bool) -> dict[str, str]:
    async with FakeSlack() as fake:
        fake.add_channel(CHANNEL, "kudos", member=True)
        for n in range(BUSY_DMS):
            fake.add_user(f"UB{n:03}", f"busy{n}")
        for n in range(OTHER_DMS):
            fake.add_user(f"UO{n:03}", f"other{n}", team_id=OTHER.workspace_id)
        fake.limit_posts(1.0)
        engines = [create_engine(url) for _ in range(instances)]
        try:
            await upgrade(engines[0])
            clock = OffsetClock(PINNED)
            async with SqlUnitOfWorkFactory(engines[0], clock)() as uow:
                for message in _messages():
                    await uow.outbox.add(message, clock.now())
                await uow.commit()
            began = fake.now()
            dispatchers = [_dispatcher(fake, engine, clock, paced) for engine in engines]
            await asyncio.wait_for(asyncio.gather(*(d.drain() for d in dispatchers)), TIMEOUT)
            return _measures(fake, began)
        finally:
            for engine in engines:
                await engine.dispose()


def _dispatcher(
    fake: FakeSlack, engine: AsyncEngine, clock: OffsetClock, paced: bool
) -> OutboxDispatcher:
    client = AsyncWebClient(token="xoxb-bench", base_url=fake.api_url, retry_handlers=[])
    slack = SlackMessenger(client, RATE)
    messenger = slack if paced else PlatformPaceOnly(slack)
    store = SqlOutboxStore(engine)
    return OutboxDispatcher(store, {"slack": messenger}, clock, budget=store)


def _measures(fake: FakeSlack, began: float) -> dict[str, str]:
    kudos = [at for channel, at in fake.post_times if channel == CHANNEL]
    busy = [
        at
        for p, (_, at) in zip(fake.posted, fake.post_times, strict=True)
        if "dm b" in (p.text or "")
    ]
    other = [
        at
        for p, (_, at) in zip(fake.posted, fake.post_times, strict=True)
        if "dm o" in (p.text or "")
    ]
    texts = Counter(p.text for p in fake.posted)
    expected = {m.text for m in _messages()}
    refused = [c for c in fake.calls if c.status == 429]
    return {
        "kudos channel (posts a second, Slack allows ~1)": _rate(kudos),
        "429s": str(len(refused)),
        f"last of the busy workspace's {BUSY_DMS} DMs (s)": _last(busy, began),
        f"last of the other workspace's {OTHER_DMS} DMs (s)": _last(other, began),
        "all done (s)": _last(kudos + busy + other, began),
        "**lost / sent twice**": (
            f"**{len(expected - set(texts))} / {sum(n - 1 for n in texts.values())}**"
        ),
    }


def _rate(times: Sequence[float]) -> str:
    if len(times) < 2:
        return "-"
    return f"{(len(times) - 1) / (max(times) - min(times)):.2f}"


def _last(times: Sequence[float], began: float) -> str:
    return f"{max(times) - began:.1f}" if times else "-"


async def run(folder: Path, postgres: str | None) -> dict[str, dict[str, str]]:
    results: dict[str, dict[str, str]] = {}
    for paced in (True, False):
        name = "paced per channel and method" if paced else "platform's pace only (before)"
        print(f"slack_limits: SQLite, {name} ...", file=sys.stderr, flush=True)
        url = f"sqlite+aiosqlite:///{folder / ('paced' if paced else 'before')}.db"
        results[f"SQLite, 1 instance: {name}"] = await _run(url, 1, paced)
        if postgres:
            print(f"slack_limits: PostgreSQL, {name} ...", file=sys.stderr, flush=True)
            database = await create_database(postgres)
            try:
                results[f"PostgreSQL, 2 instances: {name}"] = await _run(database, 2, paced)
            finally:
                await drop_database(postgres, database)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.slack_limits")
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    args = parser.parse_args()
    postgres = os.environ.get("CIRCLES_TEST_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as folder:
        results = asyncio.run(run(Path(folder), postgres))
    markdown = runs_table(results, "database, instances: outbox")
    print(markdown)
    if args.write:
        write_block("slack-limits", markdown)


if __name__ == "__main__":
    main()

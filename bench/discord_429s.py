"""Discord's 429s heard by the outbox (issue 18): 300 DMs through the real Discord adapter
(discord.py 2.7) and dispatcher to the fake Discord on 127.0.0.1, which allows 50 messages a
second for the whole bot (a bucket 10 deep) and answers Discord's global 429 past it. The bot
paces at 50 a second (the outbox is the SQL store on a SQLite file, its budget too), and another
process of the bot has just spent the next SPENT seconds of the limit (what a burst, a restart
or a second instance does).

Measured: 429s, the share of the allowed rate over the run, and messages lost or sent twice.
The baseline of the same run is the outbox before: discord.py sleeping out each 429 inside the
send and trying again there, where the outbox never hears of it.

Run: make bench   (or .venv/bin/python -m bench.discord_429s; --write puts the table into
docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.clock import OffsetClock
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.rate_limits import RateLimitWatch
from bench.results_page import DOCS, runs_table, write_block
from bot.kernel.model import Destination, MemberRef, OutgoingMessage
from bot.runtime.outbox import OutboxDispatcher
from storage.database import create_engine, upgrade
from storage.outbox.store import SqlOutboxStore
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.discord_fake import FakeDiscord
from tests.support.discord_harness import GUILD, discord_harness
from tests.support.schools import discord_school
from tests.support.settings import START
from tests.support.worker_process import PINNED

DMS = 300
RATE = 50.0
BURST = 10
SPENT = 2.0
PEOPLE = [str(960000000000000000 + n) for n in range(DMS)]


class SleptThrough(RateLimitWatch):
    """The baseline: no send is an outbox send, so discord.py sleeps out every 429 and retries."""

    @contextmanager
    def sending(self) -> Iterator[None]:
        yield


def _school(fake: FakeDiscord) -> None:
    discord_school(fake)
    for n, user in enumerate(PEOPLE):
        fake.add_member(GUILD, user, f"member{n}")


async def _run(folder: Path, heard: bool) -> dict[str, str]:
    async with discord_harness(folder, START, _school, discord={"sends_per_second": RATE}) as bot:
        bot.fake.limit_messages(RATE, BURST)
        watch = bot.adapter.rate_limits if heard else SleptThrough()
        messenger = DiscordMessenger(bot.adapter.client, RATE, watch)
        engine = create_engine(f"sqlite+aiosqlite:///{folder / 'outbox.db'}")
        try:
            await upgrade(engine)
            clock = OffsetClock(PINNED)
            async with SqlUnitOfWorkFactory(engine, clock)() as uow:
                for user in PEOPLE:
                    to = Destination.dm(MemberRef("discord", GUILD, user))
                    await uow.outbox.add(OutgoingMessage(f"prompt:{user}", to, "hi"), clock.now())
                await uow.commit()
            store = SqlOutboxStore(engine)
            dispatcher = OutboxDispatcher(store, {"discord": messenger}, clock, budget=store)
            bot.fake.spend_limit(SPENT)
            began = bot.fake.now()
            await dispatcher.drain()
        finally:
            await engine.dispose()
        took = bot.fake.now() - began
        sends = bot.fake.calls_to("send_message")
        refused = sum(1 for call in sends if call.status == 429)
        received = Counter(user for user in PEOPLE for _ in bot.dms_to(user))
        lost = sum(1 for user in PEOPLE if received[user] == 0)
        twice = sum(n - 1 for n in received.values() if n > 1)
        return {
            "429s": str(refused),
            "429s a message": f"{refused / DMS:.2f}",
            "share of the allowed rate": f"{DMS / RATE / (took - SPENT):.1%}",
            "**lost / sent twice**": f"**{lost} / {twice}**",
        }


async def run(folder: Path) -> dict[str, dict[str, str]]:
    results: dict[str, dict[str, str]] = {}
    for heard, name in (
        (True, "429 back to the outbox"),
        (False, "slept through by discord.py (before)"),
    ):
        print(f"discord_429s: {name} ...", file=sys.stderr, flush=True)
        run_folder = folder / ("heard" if heard else "before")
        run_folder.mkdir()
        results[name] = await _run(run_folder, heard)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.discord_429s")
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = asyncio.run(run(Path(folder)))
    markdown = runs_table(results, "a 429 inside a send")
    print(markdown)
    if args.write:
        write_block("discord-429s", markdown)


if __name__ == "__main__":
    main()

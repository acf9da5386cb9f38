"""Discord refuses a first answer later than 3 seconds ("The application did not respond"):
however long the database is held by another writer, the bot's first answer goes out in time,
"thinking…" then the reply, and an interaction delivered twice meanwhile runs and answers once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from tests.support import discord_payloads as p
from tests.support.discord_fake import INITIAL_RESPONSE_DEADLINE
from tests.support.discord_harness import DiscordHarness
from tests.support.schools import ADA


@contextmanager
def database_held(tmp_path: Path) -> Iterator[None]:
    """Another writer holds the bot's database (SQLite's write lock) until the block ends."""
    with closing(sqlite3.connect(tmp_path / "discord.db", isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


async def test_with_the_database_held_the_first_answer_still_comes_in_time(
    discord_bot: DiscordHarness, tmp_path: Path
) -> None:
    with database_held(tmp_path):
        sent = await discord_bot.fake.send_command(
            "findbuddy", ADA, options=[p.subcommand("start")]
        )
        first = await discord_bot.fake.wait_for_callback(sent.id)
        assert first.accepted, first
        assert first.type == p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        assert first.at - sent.sent_at < INITIAL_RESPONSE_DEADLINE
    await discord_bot.answered(sent)
    assert "queue" in discord_bot.text(sent).lower()


async def test_delivered_twice_while_the_database_is_held_it_runs_and_answers_once(
    discord_bot: DiscordHarness, tmp_path: Path
) -> None:
    with database_held(tmp_path):
        sent = await discord_bot.fake.send_command(
            "findbuddy", ADA, options=[p.subcommand("start")]
        )
        await discord_bot.fake.redeliver(sent.id)
        await discord_bot.fake.wait_for_callback(sent.id, count=2)
    await discord_bot.settle()
    accepted = [c for c in discord_bot.fake.callbacks[sent.id] if c.accepted]
    assert [c.type for c in accepted] == [p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE]
    [reply] = discord_bot.fake.followups[sent.id]
    assert "queue" in (reply.content or "").lower()

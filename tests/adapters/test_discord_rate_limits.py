"""Discord's rate limits as the outbox hears them: a 429 is never slept through and retried
inside a send (where it would take the next send's turn); it comes back to the outbox at once,
which waits exactly as long as Discord asked, for the whole platform or the one route as Discord
says, and sends the message once afterwards."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.discord.messenger import route_key
from bot.kernel.model import Destination, MemberRef, OutboxEntry, OutboxStatus
from bot.kernel.ports import RetryLater
from bot.runtime.budget import OwnBudget
from bot.runtime.outbox import OutboxDispatcher
from tests.support.discord_harness import GUILD, DiscordHarness, discord_harness
from tests.support.fakes import MemoryOutboxStore
from tests.support.schools import ADA, discord_school
from tests.support.settings import START
from tests.support.virtual_time import LoopClock

PEOPLE = [str(950000000000000000 + n) for n in range(30)]


def _dm(user: str) -> OutboxEntry:
    return OutboxEntry(
        1,
        f"test:{GUILD}:{user}",
        Destination.dm(MemberRef("discord", GUILD, user)),
        "Time for your check-in",
        OutboxStatus.SENDING,
        1,
        START,
        START,
    )


async def test_a_429_for_one_route_comes_back_at_once_and_holds_that_route_alone(
    discord_bot: DiscordHarness,
) -> None:
    # discord.py would wait out each of these and try again, five times, inside the send.
    discord_bot.fake.fail_next("send_message", 429, retry_after=0.25, times=5)

    outcome = await discord_bot.adapter.messenger.send(_dm(ADA))

    scope = route_key(_dm(ADA))
    assert outcome == RetryLater(0.25, "rate limited by Discord", True, scope)
    assert len(discord_bot.fake.calls_to("send_message")) == 1  # asked once, not five times
    assert discord_bot.dms_to(ADA) == []
    assert discord_bot.adapter.rate_limits.seen == 1


async def test_a_global_429_holds_all_of_discord_for_as_long_as_discord_asked(
    discord_bot: DiscordHarness,
) -> None:
    discord_bot.fake.fail_next("send_message", 429, retry_after=1.5, is_global=True)

    outcome = await discord_bot.adapter.messenger.send(_dm(ADA))

    assert outcome == RetryLater(1.5, "rate limited by Discord", throttled=True)
    assert len(discord_bot.fake.calls_to("send_message")) == 1


def _crowded_school(fake: object) -> None:
    discord_school(fake)  # type: ignore[arg-type]
    for n, user in enumerate(PEOPLE):
        fake.add_member(GUILD, user, f"member{n}")  # type: ignore[attr-defined]


@pytest.fixture
async def busy_bot(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    """The school with 30 more members, the bot paced at Discord's limit of 10 a second."""
    async with discord_harness(
        tmp_path, START, _crowded_school, discord={"sends_per_second": 10}
    ) as harness:
        harness.fake.limit_messages(10, burst=2)
        yield harness


async def test_a_spent_limit_costs_a_handful_of_429s_and_each_message_goes_once(
    busy_bot: DiscordHarness,
) -> None:
    store = MemoryOutboxStore()
    for user in PEOPLE:
        store.queue(f"prompt:{user}", MemberRef("discord", GUILD, user), START)
    dispatcher = OutboxDispatcher(
        store, {"discord": busy_bot.adapter.messenger}, LoopClock(START), budget=OwnBudget()
    )
    busy_bot.fake.spend_limit(1.0)  # another process of the bot spent the next second

    result = await dispatcher.drain()

    refused = [c for c in busy_bot.fake.calls_to("send_message") if c.status == 429]
    assert len(refused) <= 4  # the sends already in flight when the first one came back
    assert busy_bot.adapter.rate_limits.seen == len(refused)
    delivered = Counter(user for user in PEOPLE for _ in busy_bot.dms_to(user))
    assert delivered == Counter(PEOPLE)  # every one, once
    assert result.sent == len(PEOPLE)
    assert all(store.status_of(f"prompt:{user}") is OutboxStatus.SENT for user in PEOPLE)

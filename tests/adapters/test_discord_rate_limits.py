"""Discord's rate limits as the outbox hears them: a 429 that discord.py stops waiting out holds
Discord's lane for as long as Discord asked, not for a guess."""

from __future__ import annotations

from bot.kernel.model import Destination, MemberRef, OutboxEntry, OutboxStatus
from bot.kernel.ports import RetryLater
from tests.support.discord_harness import GUILD, DiscordHarness
from tests.support.schools import ADA
from tests.support.settings import START


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


async def test_a_429_discord_py_gave_up_on_waits_as_long_as_discord_asked(
    discord_bot: DiscordHarness,
) -> None:
    # discord.py tries a request five times, waiting out each 429, then gives up.
    discord_bot.fake.fail_next("send_message", 429, retry_after=0.25, times=5)

    outcome = await discord_bot.adapter.messenger.send(_dm(ADA))

    assert outcome == RetryLater(0.25, "rate limited by Discord", throttled=True)
    assert discord_bot.dms_to(ADA) == []

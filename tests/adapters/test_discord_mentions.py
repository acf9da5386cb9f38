"""People, roles and channels the bot's text names appear on Discord as Discord draws them (a
name, never `<​@&123>` markup), and yet nothing the bot sends can ping anyone: every message,
reply, follow-up and edit allows no mention at all."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import adapters.discord.interactions as interactions
from tests.support import discord_payloads as p
from tests.support.discord_harness import GUILD, DiscordHarness
from tests.support.schools import ADA, ALGEBRA_CHANNEL, BEN, INES, MAYA, MENTOR_TEAM, OWNER

ZWSP = "\u200b"
SILENT = {"parse": []}


async def _algebra_with_a_channel(bot: DiscordHarness) -> str:
    """Ines makes the algebra circle post in #algebra, and Maya joins it; what Ines is told."""
    await bot.command(INES, "circle-admin", "create", p.option("name", "algebra"))
    sent = await bot.command(
        INES,
        "circle",
        "set",
        p.option("circle", "algebra"),
        p.option("key", "channel"),
        p.option("value", f"<#{ALGEBRA_CHANNEL}>"),
    )
    await bot.command(MAYA, "circle", "join", p.option("circle", "algebra"))
    return bot.text(sent)


async def test_a_channel_setting_reads_as_the_channel(discord_bot: DiscordHarness) -> None:
    told = await _algebra_with_a_channel(discord_bot)
    assert f"channel is now <#{ALGEBRA_CHANNEL}>" in told
    assert ZWSP not in told


async def test_a_kudos_post_shows_the_role_and_channel_it_names_and_pings_nobody(
    discord_bot: DiscordHarness,
) -> None:
    await _algebra_with_a_channel(discord_bot)
    reason = f"helped <@&{MENTOR_TEAM}> in <#{ALGEBRA_CHANNEL}> and told @everyone and @here"
    await discord_bot.command(
        INES, "kudos", "give", p.user_option("person", MAYA), p.option("reason", reason)
    )
    await discord_bot.settle()
    [post] = discord_bot.fake.messages[ALGEBRA_CHANNEL]
    content = post.content or ""
    assert f"helped <@&{MENTOR_TEAM}> in <#{ALGEBRA_CHANNEL}>" in content
    assert f"@{ZWSP}everyone" in content
    assert f"@{ZWSP}here" in content, "mass mentions stay defused, written as typed"
    assert post.allowed_mentions == SILENT


async def test_a_dm_names_a_role_by_its_name(discord_bot: DiscordHarness) -> None:
    """Discord draws a role only in its server's channels: in a DM `<@&id>` would read as
    "@deleted-role"."""
    await _algebra_with_a_channel(discord_bot)
    await discord_bot.command(
        INES,
        "kudos",
        "give",
        p.user_option("person", MAYA),
        p.option("reason", f"ran the <@&{MENTOR_TEAM}> session"),
    )
    await discord_bot.settle()
    [dm] = [m for m in discord_bot.dms_to(MAYA) if "session" in m]
    assert "ran the @Mentor Team session" in dm


async def test_no_message_the_bot_sends_allows_a_mention(
    discord_bot: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replies, notices, follow-ups after "thinking…", a DM's button answered in place, DMs,
    channel posts and the moderators' DMs about closed DMs: each allows no mention."""
    await _algebra_with_a_channel(discord_bot)
    discord_bot.fake.close_dms(BEN)
    await discord_bot.command(ADA, "findbuddy", "start")
    await discord_bot.command(BEN, "findbuddy", "start")
    await discord_bot.command(
        INES, "kudos", "give", p.user_option("person", MAYA), p.option("reason", "so kind")
    )
    stray = await discord_bot.fake.send_component("run:1:/findbuddy cancel", ADA, guild_id=GUILD)
    await discord_bot.answered(stray)
    in_dm = await discord_bot.fake.send_command("help", ADA, in_dm=True)
    await discord_bot.answered(in_dm)
    discord_bot.clock.advance(timedelta(days=3, hours=1))
    await discord_bot.app.due.run_due()
    dms = discord_bot.fake.messages[discord_bot.fake.dm_channel_id(ADA)]
    [asked] = [m for m in dms if "Did you meet" in (m.content or "")]
    met = next(b for row in asked.components for b in row["components"] if b["label"] == "We met")
    pressed = await discord_bot.fake.send_component(met["custom_id"], ADA, message_id=asked.id)
    await discord_bot.answered(pressed)
    monkeypatch.setattr(interactions, "BUDGET_SECONDS", 0.0)
    await discord_bot.command(ADA, "help")
    await discord_bot.settle()

    sent = _everything_sent(discord_bot)
    kinds = {kind for kind, _ in sent}
    assert kinds == {"reply", "in place", "follow-up", "dm", "post"}, kinds
    loud = [(kind, body) for kind, body in sent if body.get("allowed_mentions") != SILENT]
    assert not loud, loud


def _everything_sent(bot: DiscordHarness) -> list[tuple[str, dict[str, Any]]]:
    """(kind, request body) of every message the bot created or edited on the fake."""
    sent: list[tuple[str, dict[str, Any]]] = []
    dms = {bot.fake.dm_channel_id(user) for user in (ADA, BEN, MAYA, INES, OWNER)}
    for channel, messages in bot.fake.messages.items():
        for message in messages:
            if message.interaction_id is None:
                sent.append(("dm" if channel in dms else "post", message.body))
    for callbacks in bot.fake.callbacks.values():
        for callback in callbacks:
            if callback.accepted and callback.type == p.CHANNEL_MESSAGE_WITH_SOURCE:
                sent.append(("reply", callback.data or {}))
            elif callback.accepted and callback.type == p.UPDATE_MESSAGE:
                sent.append(("in place", callback.data or {}))
    for followups in bot.fake.followups.values():
        sent += [("follow-up", message.body) for message in followups]
    sent += [("edit", edit.body) for edit in bot.fake.edits]
    return sent

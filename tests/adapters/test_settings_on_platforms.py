"""/settings reached as members reach it on each platform: Slack's own slash command (through
signed HTTP against the fake Slack) and Discord's `/settings show|set|reset` (through
discord.py against the fake Discord); a workspace's admins change their workspace's settings,
a student is refused and shown nothing."""

from __future__ import annotations

from tests.support import discord_payloads as p
from tests.support.discord_harness import DiscordHarness
from tests.support.schools import ADA, INES
from tests.support.slack_harness import SlackHarness

REFUSED = "Only moderators can see or change this workspace's settings."


async def test_on_slack_an_admin_changes_the_workspace_s_time_zone(slack: SlackHarness) -> None:
    changed = await slack.reply_to("UINES", "/settings", "set timezone Europe/London")
    assert "timezone is now Europe/London in this workspace (was UTC)" in changed["text"]
    shown = await slack.reply_to("UINES", "/settings")
    assert "timezone: Europe/London (set here)" in shown["text"]
    assert "kudos: moderators (default)" in shown["text"]
    await slack.settle()
    assert any("timezone: Europe/London" in dm for dm in slack.dms_to("UMORGAN"))


async def test_on_slack_a_student_is_refused(slack: SlackHarness) -> None:
    refused = await slack.reply_to("UADA", "/settings", "set kudos everyone")
    assert refused["text"] == REFUSED
    assert (await slack.reply_to("UADA", "/settings"))["text"] == REFUSED


async def test_on_discord_settings_show_set_and_reset(discord_bot: DiscordHarness) -> None:
    changed = await discord_bot.command(
        INES, "settings", "set", p.option("key", "kudos"), p.option("value", "everyone")
    )
    assert "kudos is now everyone in this workspace" in discord_bot.text(changed)
    shown = discord_bot.text(await discord_bot.command(INES, "settings", "show"))
    assert "kudos: everyone (set here)" in shown
    reset = await discord_bot.command(INES, "settings", "reset", p.option("key", "kudos"))
    assert "kudos is back to the default, moderators" in discord_bot.text(reset)
    refused = await discord_bot.command(ADA, "settings", "show")
    assert discord_bot.text(refused) == REFUSED

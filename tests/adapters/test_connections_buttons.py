"""The question after a pairing ends, on Slack and Discord: "Stay in touch?" carries Yes / No
buttons drawn by each platform's own renderer (no adapter code of its own), and pressing Yes
runs /buddy keep as whoever pressed it."""

from __future__ import annotations

import json

from tests.support import discord_payloads as p
from tests.support import slack_payloads as payloads
from tests.support.discord_harness import GUILD, DiscordHarness
from tests.support.schools import ADA, BEN
from tests.support.slack_harness import SlackHarness


def _slack_buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _discord_buttons(components: list[dict]) -> list[dict]:
    return [c for row in components for c in row.get("components", [])]


async def test_on_slack_pressing_yes_keeps_the_connection(slack: SlackHarness) -> None:
    await slack.reply_to("UADA", "/findbuddy")
    await slack.reply_to("UBEN", "/findbuddy")
    await slack.reply_to("UADA", "/buddy", "met <@UBEN>")
    await slack.reply_to("UADA", "/buddy", "end <@UBEN>")
    asked = [p for p in slack.fake.posted if p.channel == "DUBEN" and "Stay in touch" in p.text]
    assert len(asked) == 1
    buttons = _slack_buttons(asked[0].blocks)
    assert [b["text"]["text"] for b in buttons] == ["Yes, stay in touch", "No"]
    yes = buttons[0]
    assert yes["value"] == "/buddy keep <@UADA>"
    await slack.reply_to("UADA", "/buddy", "keep <@UBEN>")
    response_url = slack.fake.new_response_url()
    pressed = payloads.block_action(
        yes["action_id"],
        yes["value"],
        "UBEN",
        trigger_id=slack.fake.new_trigger_id(),
        response_url=response_url,
        container=payloads.message_container("DUBEN"),
    )
    pressed["message"].update(text=asked[0].text, blocks=asked[0].blocks)
    await slack.interact(pressed)
    await slack.settle()
    [replaced] = slack.fake.responses_to(response_url)
    assert "said yes too" in json.dumps(replaced["blocks"])
    assert any("said yes too" in m.text for m in slack.fake.posted if m.channel == "DUADA")


async def test_on_discord_pressing_yes_keeps_the_connection(discord_bot: DiscordHarness) -> None:
    await discord_bot.command(ADA, "findbuddy", "start")
    await discord_bot.command(BEN, "findbuddy", "start")
    await discord_bot.command(ADA, "buddy", "met", p.user_option("person", BEN))
    await discord_bot.command(ADA, "buddy", "end", p.user_option("person", BEN))
    asked = [
        m
        for m in discord_bot.fake.messages[discord_bot.fake.dm_channel_id(BEN)]
        if "Stay in touch" in (m.content or "")
    ]
    assert len(asked) == 1
    buttons = _discord_buttons(asked[0].components)
    assert [b["label"] for b in buttons] == ["Yes, stay in touch", "No"]
    assert buttons[0]["custom_id"] == f"run:{GUILD}:/buddy keep <@{ADA}>"
    await discord_bot.command(ADA, "buddy", "keep", p.user_option("person", BEN))
    pressed = await discord_bot.fake.send_component(
        buttons[0]["custom_id"], BEN, message_id=asked[0].id
    )
    await discord_bot.answered(pressed)
    assert "said yes too" in discord_bot.answer(pressed)["content"]
    told = discord_bot.fake.messages[discord_bot.fake.dm_channel_id(ADA)]
    assert any("said yes too" in (m.content or "") for m in told)

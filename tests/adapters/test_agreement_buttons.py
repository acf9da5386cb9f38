"""The agreement's "I agree" button on Slack and Discord: drawn under the agreement with no
adapter of its own, and pressing it confirms as whoever pressed it."""

from __future__ import annotations

import json

from tests.support import discord_payloads as p
from tests.support import slack_payloads as payloads
from tests.support.discord_harness import DiscordHarness
from tests.support.schools import ADA, MAYA
from tests.support.slack_harness import SlackHarness

AGREEMENT = "confirm your agreement"


async def test_on_slack_i_agree_under_the_agreement_confirms_it(slack: SlackHarness) -> None:
    await slack.reply_to("UMAYA", "/profile", "set role mentor")
    await slack.reply_to("UMAYA", "/findbuddy")
    await slack.reply_to("UADA", "/findbuddy")
    await slack.settle()
    [sent] = [m for m in slack.fake.posted if m.channel == "DUADA" and AGREEMENT in m.text]
    buttons = [e for b in sent.blocks if b["type"] == "actions" for e in b["elements"]]
    [agree] = [b for b in buttons if b["text"]["text"] == "I agree"]
    assert agree["value"] == "/agreement confirm <@UMAYA>"
    response_url = slack.fake.new_response_url()
    pressed = payloads.block_action(
        agree["action_id"],
        agree["value"],
        "UADA",
        trigger_id=slack.fake.new_trigger_id(),
        response_url=response_url,
        container=payloads.message_container("DUADA"),
    )
    pressed["message"].update(text=sent.text, blocks=sent.blocks)
    await slack.interact(pressed)
    await slack.settle()
    [answered] = slack.fake.responses_to(response_url)
    assert "you confirmed your agreement with maya" in json.dumps(answered["blocks"])
    shown = await slack.reply_to("UADA", "/agreement")
    assert "Confirmed by you" in json.dumps(shown)


async def test_on_discord_i_agree_under_the_agreement_confirms_it(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(
        MAYA, "profile", "set", p.option("field", "role"), p.option("value", "mentor")
    )
    await discord_bot.command(MAYA, "findbuddy", "start")
    await discord_bot.command(ADA, "findbuddy", "start")
    [sent] = [
        m
        for m in discord_bot.fake.messages[discord_bot.fake.dm_channel_id(ADA)]
        if AGREEMENT in (m.content or "")
    ]
    [agree] = [
        c for row in sent.components for c in row.get("components", []) if c["label"] == "I agree"
    ]
    pressed = await discord_bot.fake.send_component(agree["custom_id"], ADA, message_id=sent.id)
    await discord_bot.answered(pressed)
    answer = discord_bot.answer(pressed)
    assert "you confirmed your agreement with maya" in answer["content"]
    shown = await discord_bot.command(ADA, "agreement", "show")
    assert "Confirmed by you" in discord_bot.text(shown)

"""Rating a meeting on Slack and Discord, through the real adapters against their fakes: the
invitation after "We met" carries the five ratings as buttons, pressing one rates the meeting
in place, and on Discord `/feedback give` takes the rating, the person and the note."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.bootstrap import App
from tests.support import discord_payloads as p
from tests.support import slack_payloads as payloads
from tests.support.discord_harness import GUILD, DiscordHarness, discord_harness
from tests.support.schools import ADA, BEN, discord_school, slack_school
from tests.support.settings import START
from tests.support.slack_harness import SlackHarness, slack_harness


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with slack_harness(
        tmp_path, START, workspace=slack_school, moderators=["slack:T0001:UMORGAN"]
    ) as harness:
        await harness.settle()
        yield harness


@pytest.fixture
async def discord_bot(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    async with discord_harness(
        tmp_path, START, discord_school, discord={"moderator_roles": ["Mentor Team"]}
    ) as harness:
        yield harness


async def scores(app: App) -> list[int]:
    async with app.engine.connect() as connection:
        rows = await connection.execute(text("SELECT score FROM meeting_ratings ORDER BY id"))
        return [int(score) for (score,) in rows]


def slack_buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def discord_buttons(components: list[dict]) -> list[dict]:
    return [c for row in components for c in row.get("components", [])]


async def test_on_slack_the_invitation_has_five_buttons_and_one_rates_the_meeting_in_place(
    slack: SlackHarness,
) -> None:
    await slack.reply_to("UADA", "/findbuddy")
    await slack.reply_to("UBEN", "/findbuddy")
    await slack.reply_to("UADA", "/buddy", "met <@UBEN>")
    await slack.settle()
    [invitation] = [
        p for p in slack.fake.posted if p.channel == "DUADA" and "How did it go" in p.text
    ]
    buttons = slack_buttons(invitation.blocks)
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        (str(n), f"/feedback {n} <@UBEN>") for n in range(1, 6)
    ]
    response_url = slack.fake.new_response_url()
    pressed = payloads.block_action(
        buttons[4]["action_id"],
        buttons[4]["value"],
        "UADA",
        trigger_id=slack.fake.new_trigger_id(),
        response_url=response_url,
        container=payloads.message_container("DUADA"),
    )
    pressed["message"].update(text=invitation.text, blocks=invitation.blocks)
    await slack.interact(pressed)
    await slack.settle()
    [replaced] = slack.fake.responses_to(response_url)
    assert replaced["replace_original"] is True
    assert slack_buttons(replaced["blocks"]) == []
    assert "your rating of 5 of 5 for your meeting with" in json.dumps(replaced["blocks"])
    assert await scores(slack.app) == [5]
    assert not any("rating" in p.text for p in slack.fake.posted if p.channel == "DUBEN")


async def test_on_discord_the_invitation_has_five_buttons_and_feedback_give_takes_a_note(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(ADA, "findbuddy", "start")
    await discord_bot.command(BEN, "findbuddy", "start")
    discord_bot.clock.advance(timedelta(days=3, hours=1))
    await discord_bot.app.due.run_due()
    await discord_bot.settle()
    await discord_bot.command(ADA, "buddy", "met", p.user_option("person", BEN))
    [invitation] = [
        m
        for m in discord_bot.fake.messages[discord_bot.fake.dm_channel_id(ADA)]
        if "How did it go" in (m.content or "")
    ]
    buttons = discord_buttons(invitation.components)
    assert [(b["label"], b["custom_id"]) for b in buttons] == [
        (str(n), f"run:{GUILD}:/feedback {n} <@{BEN}>") for n in range(1, 6)
    ]
    pressed = await discord_bot.fake.send_component(
        buttons[2]["custom_id"], ADA, message_id=invitation.id
    )
    await discord_bot.answered(pressed)
    answer = discord_bot.answer(pressed)
    assert answer["type"] == p.UPDATE_MESSAGE
    assert answer.get("components") == []
    assert "your rating of 3 of 5" in answer["content"]
    sent = await discord_bot.command(
        ADA,
        "feedback",
        "give",
        p.option("rating", 4),
        p.user_option("person", BEN),
        p.option("note", "went well in the end"),
    )
    assert "It replaces your earlier rating of 3" in discord_bot.text(sent)
    assert await scores(discord_bot.app) == [4]

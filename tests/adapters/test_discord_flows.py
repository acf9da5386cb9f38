"""Buttons, modals, closed DMs, slow answers, sync and sharding on Discord, end to end through
discord.py and the core, against a fake Discord."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import discord
import pytest

import adapters.discord.interactions as interactions
from tests.support import discord_payloads as p
from tests.support.discord_harness import GUILD, DiscordHarness, discord_harness
from tests.support.schools import ADA, BEN, INES, MAYA, OWNER, discord_school, synced_school
from tests.support.settings import START


def _buttons(components: list[dict]) -> list[dict]:
    return [c for row in components for c in row.get("components", [])]


async def _paired(bot: DiscordHarness) -> None:
    await bot.command(ADA, "findbuddy", "start")
    await bot.command(BEN, "findbuddy", "start")


async def test_did_you_meet_buttons_answer_in_place_and_go_away(
    discord_bot: DiscordHarness,
) -> None:
    await _paired(discord_bot)
    discord_bot.clock.advance(timedelta(days=3, hours=1))
    await discord_bot.app.due.run_due()
    asked = [
        m
        for m in discord_bot.fake.messages[discord_bot.fake.dm_channel_id(ADA)]
        if "Did you meet" in (m.content or "")
    ]
    assert len(asked) == 1
    met = next(b for b in _buttons(asked[0].components) if b["label"] == "We met")
    assert met["custom_id"] == f"run:{GUILD}:/buddy met <@{BEN}>"
    pressed = await discord_bot.fake.send_component(met["custom_id"], ADA, message_id=asked[0].id)
    await discord_bot.answered(pressed)
    answer = discord_bot.answer(pressed)
    assert answer["type"] == p.UPDATE_MESSAGE
    assert answer.get("components") == []
    assert "thanks for telling me" in answer["content"]


async def test_a_mentor_answers_a_checkin_through_the_modal(discord_bot: DiscordHarness) -> None:
    await discord_bot.command(INES, "circle-admin", "create", p.option("name", "mentoring"))
    for key, value in (("cadence", "weekly"), ("day", "tue"), ("time", "10:30")):
        await discord_bot.command(
            INES,
            "circle",
            "set",
            p.option("circle", "mentoring"),
            p.option("key", key),
            p.option("value", value),
        )
    await discord_bot.command(
        MAYA, "profile", "set", p.option("field", "role"), p.option("value", "mentor")
    )
    await discord_bot.command(MAYA, "circle", "join", p.option("circle", "mentoring"))
    discord_bot.clock.advance(timedelta(hours=1))
    await discord_bot.app.due.run_due()
    [prompt] = [
        m
        for m in discord_bot.fake.messages[discord_bot.fake.dm_channel_id(MAYA)]
        if "check-in" in (m.content or "")
    ]
    assert (prompt.content or "").startswith(
        "Time for your check-in in the mentoring circle (two minutes):"
    ), "the circle is named as a circle, not as who the check-in is for"
    answer_button = next(b for b in _buttons(prompt.components) if b["label"] == "Answer")
    pressed = await discord_bot.fake.send_component(
        answer_button["custom_id"], MAYA, message_id=prompt.id
    )
    await discord_bot.answered(pressed)
    opened = discord_bot.answer(pressed)
    assert opened["type"] == p.MODAL
    values = {"q0": "going well", "q1": "twice", "q2": "", "concern": "no"}
    submitted = await discord_bot.fake.send_modal_submit(opened["custom_id"], MAYA, values)
    await discord_bot.answered(submitted)
    assert "Saved your mentoring check-in" in discord_bot.answer(submitted)["content"]
    status = await discord_bot.command(INES, "checkin", "status", p.option("circle", "mentoring"))
    assert "answered" in discord_bot.text(status).lower()


async def test_closed_dms_are_recorded_and_told_to_moderators_and_the_member(
    discord_bot: DiscordHarness,
) -> None:
    """No moderator has used the bot yet: the server's owner is told."""
    discord_bot.fake.close_dms(BEN)
    await _paired(discord_bot)
    await discord_bot.settle()
    told = [dm for dm in discord_bot.dms_to(OWNER) if "ben" in dm.lower()]
    assert len(told) == 1
    later = discord_bot.text(await discord_bot.command(BEN, "buddy", "list"))
    for notice in (told[0], later):
        assert "direct messages from this server are turned off" in notice
        assert "Privacy Settings, turn on Direct Messages" in notice, "what to do"
        assert "50007" not in notice, "no error code a person cannot read"
    assert "they do not accept" not in later, "Ben is told about himself, not about 'they'"


async def test_a_slow_answer_is_deferred_then_followed_up(
    discord_bot: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interactions, "BUDGET_SECONDS", 0.0)
    sent = await discord_bot.command(ADA, "help")
    assert discord_bot.answer(sent)["type"] == p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert "/findbuddy" in discord_bot.text(sent)


async def test_the_profile_form_saves_what_changed(discord_bot: DiscordHarness) -> None:
    shown = await discord_bot.command(ADA, "profile", "show")
    [edit] = [
        b for b in _buttons(discord_bot.answer(shown)["components"]) if b["label"] == "Edit profile"
    ]
    pressed = await discord_bot.fake.send_component(edit["custom_id"], ADA)
    await discord_bot.answered(pressed)
    modal = discord_bot.answer(pressed)
    assert modal["type"] == p.MODAL
    submitted = await discord_bot.fake.send_modal_submit(
        modal["custom_id"], ADA, {"timezone": "America/Chicago", "subjects": "algebra"}
    )
    await discord_bot.answered(submitted)
    assert "Saved" in discord_bot.answer(submitted)["content"]
    profile = await discord_bot.command(ADA, "profile", "show")
    assert "America/Chicago" in discord_bot.text(profile)


async def test_sync_installs_every_command_in_the_configured_servers(tmp_path: Path) -> None:
    async with synced_school(tmp_path) as (fake, places):
        assert places == [f"server {GUILD}"]
    names = {c["name"] for c in fake.commands[GUILD]}
    assert {"circle", "findbuddy", "kudos", "checkin", "help"} <= names


async def test_auto_sharding_uses_the_sharded_client_and_answers(tmp_path: Path) -> None:
    async with discord_harness(tmp_path, START, discord_school, discord={"shards": "auto"}) as bot:
        assert isinstance(bot.adapter.client, discord.AutoShardedClient)
        sent = await bot.command(ADA, "help")
        assert "/findbuddy" in bot.text(sent)


async def test_a_button_of_another_server_is_refused(discord_bot: DiscordHarness) -> None:
    forged = await discord_bot.fake.send_component(
        "run:123456789012345678:/circle create x", INES, guild_id=GUILD
    )
    await discord_bot.answered(forged)
    assert "another server" in discord_bot.answer(forged)["content"]
    listed = await discord_bot.command(INES, "circle", "list")
    assert " x" not in discord_bot.text(listed)


async def test_a_button_from_before_a_restart_still_works(discord_bot: DiscordHarness) -> None:
    """The fake makes up the message, as Discord has it after the bot restarted: nothing of the
    button is kept in the bot, the custom id says it all."""
    await discord_bot.command(ADA, "findbuddy", "start")
    pressed = await discord_bot.fake.send_component(f"run:{GUILD}:/findbuddy cancel", ADA)
    await discord_bot.answered(pressed)
    assert "queue" in discord_bot.answer(pressed)["content"].lower()


async def test_a_circle_channel_of_another_server_is_never_posted_to(
    discord_bot: DiscordHarness,
) -> None:
    discord_bot.fake.add_guild("900000000000000009", "Elsewhere", "100000000000000900")
    discord_bot.fake.add_channel("900000000000000009", "900000000000000909", "theirs")
    await discord_bot.command(INES, "circle-admin", "create", p.option("name", "algebra"))
    await discord_bot.command(
        INES,
        "circle",
        "set",
        p.option("circle", "algebra"),
        p.option("key", "channel"),
        p.option("value", "<#900000000000000909>"),
    )
    await discord_bot.command(MAYA, "circle", "join", p.option("circle", "algebra"))
    await discord_bot.command(
        INES, "kudos", "give", p.user_option("person", MAYA), p.option("reason", "kind and clear")
    )
    await discord_bot.settle()
    assert "900000000000000909" not in discord_bot.fake.messages
    assert any("theirs" in dm or "909" in dm for dm in discord_bot.dms_to(INES))


async def test_a_kudos_number_that_does_not_exist_gets_a_clear_answer(
    discord_bot: DiscordHarness,
) -> None:
    sent = await discord_bot.command(INES, "kudos-admin", "revoke", p.option("number", 999))
    assert "999" in discord_bot.text(sent)

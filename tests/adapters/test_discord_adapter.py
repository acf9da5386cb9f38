"""The Discord adapter through the real discord.py client, against a fake Discord on 127.0.0.1."""

from __future__ import annotations

import json

from adapters.discord.surface import OPTIONS, command_definitions, discord_name
from bot.features import CATALOG
from tests.support import discord_payloads as p
from tests.support.discord_harness import DiscordHarness
from tests.support.schools import ADA, BEN, HELPER_BOT, INES, MAYA, RORY


def test_every_core_command_has_a_discord_entry() -> None:
    """Adding a command to the core without its Discord options fails here."""
    registered = {c["name"]: c for c in command_definitions()}
    for spec in CATALOG:
        assert spec.path in OPTIONS, f"{spec.path} has no Discord options"
        name, sub = discord_name(spec)
        command = registered[name]
        if sub is not None:
            assert sub in {o["name"] for o in command["options"] if o["type"] == 1}
    assert len(registered) <= 100, "Discord allows 100 global commands"


async def test_a_command_is_answered_privately_and_pings_nobody(
    discord_bot: DiscordHarness,
) -> None:
    sent = await discord_bot.command(ADA, "help")
    answer = discord_bot.answer(sent)
    assert answer["type"] == p.CHANNEL_MESSAGE_WITH_SOURCE
    assert answer["flags"] & p.EPHEMERAL
    assert "/findbuddy" in answer["content"]
    assert answer["allowed_mentions"]["parse"] == []


async def test_two_students_find_each_other_and_each_is_introduced_once_by_dm(
    discord_bot: DiscordHarness,
) -> None:
    """Ben's /findbuddy makes the match: his ephemeral answer points to the introduction in his
    DMs instead of repeating it, so he reads it once, as Ada does."""
    first = await discord_bot.command(ADA, "findbuddy", "start")
    assert "queue" in discord_bot.text(first).lower()
    second = discord_bot.text(await discord_bot.command(BEN, "findbuddy", "start"))
    assert "introduction by DM" in second
    assert "Why" not in second
    await discord_bot.settle()
    for user, partner in ((ADA, "ben"), (BEN, "ada")):
        [introduction] = discord_bot.dms_to(user)
        assert partner in introduction.lower()
        assert "Why" in introduction
    for message in discord_bot.fake.messages[discord_bot.fake.dm_channel_id(ADA)]:
        assert message.allowed_mentions == {"parse": []}
        assert message.nonce


async def test_manage_server_and_configured_roles_moderate_others_do_not(
    discord_bot: DiscordHarness,
) -> None:
    for who, name in ((INES, "algebra"), (RORY, "physics")):
        sent = await discord_bot.command(who, "circle-admin", "create", p.option("name", name))
        assert discord_bot.text(sent).startswith(f"Created {name}")
    refused = await discord_bot.command(ADA, "circle-admin", "create", p.option("name", "chess"))
    assert "moderator" in discord_bot.text(refused).lower()


async def test_a_moderators_kudos_appear_in_the_circles_channel_without_pings(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(INES, "circle-admin", "create", p.option("name", "algebra"))
    await discord_bot.command(
        INES,
        "circle",
        "set",
        p.option("circle", "algebra"),
        p.option("key", "channel"),
        p.option("value", "#algebra"),
    )
    await discord_bot.command(
        MAYA, "profile", "set", p.option("field", "role"), p.option("value", "mentor")
    )
    await discord_bot.command(MAYA, "circle", "join", p.option("circle", "algebra"))
    sent = await discord_bot.command(
        INES,
        "kudos",
        "give",
        p.user_option("person", MAYA),
        p.option("reason", "explained factoring so well @everyone"),
    )
    assert discord_bot.answer(sent)["type"] == p.CHANNEL_MESSAGE_WITH_SOURCE
    await discord_bot.settle()
    [post] = discord_bot.fake.messages["900000000000000102"]
    assert "explained factoring so well" in (post.content or "")
    assert post.allowed_mentions == {"parse": [], "roles": [], "users": []} or (
        post.allowed_mentions is not None and post.allowed_mentions.get("parse") == []
    )


async def test_kudos_for_a_bot_are_refused(discord_bot: DiscordHarness) -> None:
    sent = await discord_bot.command(
        INES, "kudos", "give", p.user_option("person", HELPER_BOT), p.option("reason", "ok")
    )
    assert discord_bot.text(sent).startswith("Bots don't need kudos")


async def test_unknown_circle_gets_a_useful_answer_and_autocomplete_offers_names(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(INES, "circle-admin", "create", p.option("name", "algebra"))
    sent = await discord_bot.command(ADA, "circle", "info", p.option("circle", "algebrx"))
    assert "/circle list" in discord_bot.text(sent)
    typed = await discord_bot.fake.send_autocomplete(
        "circle", ADA, options=[p.subcommand("info", p.focused(p.option("circle", "alg")))]
    )
    await discord_bot.answered(typed)
    answer = discord_bot.answer(typed)
    assert answer["type"] == p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert [c["value"] for c in answer["choices"]] == ["algebra"]


async def test_commands_sent_in_a_dm_are_pointed_to_the_server(
    discord_bot: DiscordHarness,
) -> None:
    sent = await discord_bot.fake.send_command("help", ADA, in_dm=True)
    await discord_bot.answered(sent)
    assert "server" in discord_bot.text(sent)


def test_command_definitions_are_valid_json_for_discord() -> None:
    text = json.dumps(command_definitions())
    assert '"autocomplete": true' in text


async def test_a_one_word_topic_from_its_own_option_is_the_topic_not_more_name(
    discord_bot: DiscordHarness,
) -> None:
    """Discord sends name and topic apart: `chess` with the topic `Chess` is a circle named chess
    about Chess (typed on one line, `chess Chess` would read as one spaced name)."""
    sent = await discord_bot.command(
        INES, "circle-admin", "create", p.option("name", "chess"), p.option("topic", "Chess")
    )
    assert discord_bot.text(sent).startswith("Created chess (topic: Chess)")
    info = await discord_bot.command(INES, "circle", "info", p.option("circle", "chess"))
    assert "Chess" in discord_bot.text(info)

"""On Discord the bot names Discord's own commands (`/findbuddy start`, `/kudos give person:
reason:`), as clickable mentions once Discord listed their ids, and markdown a member typed is
shown as typed, never formatting the bot's own words."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.discord.markdown import literal_markdown
from adapters.discord.render import for_discord
from adapters.discord.surface import command_definitions
from bot.kernel.command_refs import command_ref
from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord
from tests.support.discord_harness import DiscordHarness, discord_harness
from tests.support.schools import ADA, BEN, INES, OWNER, discord_school
from tests.support.settings import START

MENTION = re.compile(r"</([-\w]+(?: [-\w]+)?):(\d+)>")


def _school_with_commands_installed(fake: FakeDiscord) -> None:
    discord_school(fake)
    fake._overwrite_commands(None, command_definitions())


@pytest.fixture
async def installed(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    """The school, with the commands installed globally before the bot starts."""
    async with discord_harness(tmp_path, START, _school_with_commands_installed) as harness:
        yield harness


async def test_help_names_discords_commands_and_options(discord_bot: DiscordHarness) -> None:
    help_text = discord_bot.text(await discord_bot.command(ADA, "help"))
    assert "/findbuddy start [subject:]" in help_text
    assert "/kudos give person: reason: [value:]" in help_text
    assert "/findbuddy [subject]" not in help_text
    assert "type /help [command:] for more" in help_text


async def test_once_discord_listed_the_ids_a_command_is_a_clickable_mention(
    installed: DiscordHarness,
) -> None:
    help_text = installed.text(await installed.command(ADA, "help"))
    ids = {(c["name"], c["id"]) for c in installed.fake.commands[None]}
    named = MENTION.findall(help_text)
    assert ("findbuddy start", next(i for n, i in ids if n == "findbuddy")) in named
    assert {name.split()[0] for name, _ in named} <= {n for n, _ in ids}
    assert {i for _, i in named} <= {i for _, i in ids}


async def test_markdown_in_a_kudos_reason_is_shown_as_typed(discord_bot: DiscordHarness) -> None:
    reason = "**all** of the ~~fractions~~ `help`"
    await discord_bot.command(
        INES, "kudos", "give", p.user_option("person", BEN), p.option("reason", reason)
    )
    await discord_bot.settle()
    [dm] = [t for t in discord_bot.dms_to(BEN) if "fractions" in t]
    assert r"\*\*all\*\* of the \~\~fractions\~\~ \`help\`" in dm


async def test_a_bot_that_stopped_names_commands_unclickable_again(tmp_path: Path) -> None:
    async with discord_harness(tmp_path / "a", START, _school_with_commands_installed) as bot:
        assert MENTION.search(bot.text(await bot.command(ADA, "help")))
    async with discord_harness(tmp_path / "b", START, discord_school) as bot:
        assert not MENTION.search(bot.text(await bot.command(ADA, "help")))


def test_backticks_typed_inside_a_line_open_no_code_block() -> None:
    typed = "Kudos to Ben: ``` **all** of it"
    assert literal_markdown(typed) == r"Kudos to Ben: \`\`\` \*\*all\*\* of it"
    table = "Your circles:\n```\nalgebra  *3*\n```\n**done**"
    assert literal_markdown(table) == "Your circles:\n```\nalgebra  *3*\n```\n\\*\\*done\\*\\*"


def test_a_reference_is_written_before_the_markdown_around_it_is_escaped() -> None:
    shown = for_discord(f"or in one line: {command_ref('/checkin answer <1> | <2>')}")
    assert shown == r"or in one line: /checkin answer answers:<1> \| <2>"


async def test_a_command_mention_a_member_typed_is_shown_as_text(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(ADA, "flag", p.option("text", "someone posted </help:1> at me"))
    await discord_bot.settle()
    told = [t for user in (INES, OWNER) for t in discord_bot.dms_to(user) if "posted" in t]
    assert told
    assert all("</help:1>" not in t and "<\u200b/help:1>" in t for t in told)


async def test_the_whole_help_arrives_in_messages_discord_takes(installed: DiscordHarness) -> None:
    sent = await installed.command(INES, "help")
    await installed.answered(sent)
    first = installed.answer(sent)["content"]
    rest = [f.content or "" for f in installed.fake.followups.get(sent.id, [])]
    assert rest, "a moderator's help with clickable commands takes more than one message"
    for message in (first, *rest):
        assert len(message) <= 2000
        assert message.count("<") == message.count(">"), "no mention cut in half"
    whole = "\n".join((first, *rest))
    assert "For moderators and facilitators:" in whole
    named = {name for name, _ in MENTION.findall(whole)}
    assert {"kudos give", "privacy delete", "audit", "circle-admin create"} <= named

"""Reading typed commands: usage on bad arguments, suggestions for typos, every mention syntax."""

from __future__ import annotations

import pytest

from adapters.bootstrap import App
from bot.circles.commands import AddToCircle, JoinCircle
from bot.features import CATALOG
from bot.kernel.errors import UsageError, UserError
from bot.kernel.model import Actor, CircleRole, MemberRef
from bot.kernel.parsing import mention_user_id
from bot.kernel.text import typed_mention
from tests.unit.conftest import Say

ZWSP = "\u200b"
ADA = Actor(MemberRef("console", "w1", "ada"), "Ada")


@pytest.mark.parametrize(
    ("token", "user_id"),
    [("@Bob", "bob"), ("<@U123ABC>", "U123ABC"), ("<@U123|bob>", "U123"), ("<@!8812>", "8812")],
)
def test_mentions_of_each_platform_name_a_user(token: str, user_id: str) -> None:
    assert mention_user_id(token) == user_id


def test_a_slack_mention_reaches_the_command() -> None:
    command = CATALOG.parse("/circle add <@U42|zoe> algebra as mentor", ADA)
    assert command == AddToCircle(ADA, "U42", "algebra", "mentor")


@pytest.mark.parametrize(
    ("ref", "typed"),
    [
        (MemberRef("console", "w1", "ada"), "@ada"),
        (MemberRef("slack", "T1", "U0123ABCD"), "<@U0123ABCD>"),
        (MemberRef("discord", "81", "81234567890"), "<@81234567890>"),
    ],
)
def test_a_member_is_named_as_their_platform_reads_a_typed_mention(
    ref: MemberRef, typed: str
) -> None:
    assert typed_mention(ref) == typed
    assert mention_user_id(typed) == ref.user_id


async def test_hints_on_slack_name_people_as_slack_mentions(app: App) -> None:
    ada = Actor(MemberRef("slack", "T1", "U0ADA"), "Ada")
    await app.bus.meet(Actor(MemberRef("slack", "T1", "U0BEN"), "Ben"))
    assert (await app.bus.handle_text("/block <@U0BEN>", ada)).ok
    again = await app.bus.handle_text("/block <@U0BEN|ben>", ada)
    unknown = await app.bus.handle_text("/unblock <@U0NOBODY>", ada)
    # Every reply is defused (a zero-width space after "<"), so nobody is pinged by a hint.
    assert "/unblock <@U0BEN> undoes it" in again.text.replace(ZWSP, "")
    assert "I don't know <@U0NOBODY> here" in unknown.text.replace(ZWSP, "")


def test_case_and_spacing_do_not_matter() -> None:
    assert CATALOG.parse("  /Circle   JOIN  algebra  AS  Mentee ", ADA) == JoinCircle(
        ADA, "algebra", CircleRole.MENTEE
    )


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("/circle join", "/circle join <name> [as mentor|mentee]"),
        ("/circle join algebra as boss", "/circle join <name> [as mentor|mentee]"),
        ("/circle join algebra please now", "/circle join <name> [as mentor|mentee]"),
        ("/circle add ben algebra", "/circle add @person <name>"),
        ("/circle list everything", "/circle list"),
    ],
)
def test_wrong_arguments_answer_with_the_usage(line: str, usage: str) -> None:
    with pytest.raises(UsageError) as raised:
        CATALOG.parse(line, ADA)
    assert f"Usage: {usage}" in raised.value.message


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [("/circle lst", "/circle list"), ("/circl info x", "/circle info"), ("/profil", "/profile")],
)
def test_typos_get_a_suggestion(line: str, suggestion: str) -> None:
    with pytest.raises(UserError) as raised:
        CATALOG.parse(line, ADA)
    assert f"Did you mean {suggestion}?" in raised.value.message


async def test_help_lists_moderator_commands_only_to_moderators(say: Say) -> None:
    student, moderator = (await say("ada", "/help")).text, (await say("morgan", "/help")).text
    everyone = [s.usage for s in CATALOG if s.audience.value == "everyone"]
    managers = [s.usage for s in CATALOG if s.audience.value != "everyone"]
    assert all(usage in student and usage in moderator for usage in everyone)
    assert not any(usage in student for usage in managers)
    assert all(usage in moderator for usage in managers)


async def test_help_on_one_command_gives_its_details(say: Say) -> None:
    text = (await say("ada", "/help profile set")).text
    assert "/profile set <field> <value>" in text
    assert "quiet-hours" in text


async def test_a_command_that_is_not_one_changes_nothing_and_says_so(say: Say) -> None:
    reply = await say("ada", "/frobnicate now")
    assert not reply.ok
    assert "I don't know /frobnicate now" in reply.text
    assert "/help" in reply.text


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("/kudo @noah hi", "Did you mean /kudos?"),
        ("/kudo top", "Did you mean /kudos top?"),
        ("/circl lsit", "Did you mean /circle list?"),
        ("/buddy mt @ben", "Did you mean /buddy met?"),
        ("/blackot add 2026-03-09", "Did you mean /blackout add?"),
    ],
)
async def test_a_mistyped_command_suggests_the_family_it_reads_like(
    say: Say, typed: str, nearest: str
) -> None:
    reply = await say("ada", typed)
    assert not reply.ok
    assert nearest in reply.text


async def test_help_says_which_commands_facilitators_cannot_use(say: Say) -> None:
    """The handlers let only moderators create or archive circles, revoke kudos, read the audit
    and set blackouts; help must not promise them to facilitators."""
    listing = (await say("morgan", "/help")).text
    assert (
        "/audit [number]: what moderators did with members' data, newest first (moderators only)"
        in listing
    )
    [adding] = [line for line in listing.splitlines() if line.startswith("/circle add ")]
    assert not adding.endswith("(moderators only)")
    assert (await say("morgan", "/help circle archive")).text.endswith("(for moderators)")

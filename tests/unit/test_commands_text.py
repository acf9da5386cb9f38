"""Reading typed commands: usage on bad arguments, suggestions for typos, every mention syntax."""

from __future__ import annotations

import pytest

from bot.circles.commands import AddToCircle, JoinCircle
from bot.features import CATALOG
from bot.kernel.command_refs import as_typed
from bot.kernel.errors import UsageError, UserError
from bot.kernel.model import Actor, CircleRole, MemberRef
from bot.kernel.parsing import mention_user_id
from bot.kernel.text import typed_mention

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
    assert f"Usage: {usage}" in as_typed(raised.value.message)


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [("/circle lst", "/circle list"), ("/circl info x", "/circle info"), ("/profil", "/profile")],
)
def test_typos_get_a_suggestion(line: str, suggestion: str) -> None:
    with pytest.raises(UserError) as raised:
        CATALOG.parse(line, ADA)
    assert f"Did you mean {suggestion}?" in as_typed(raised.value.message)

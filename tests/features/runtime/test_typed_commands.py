"""Typed lines through the bus, as members meet them: help for each audience, hints that name
people as their platform does, and a plain answer (never an apology) to a line that is not a
command, a mistyped one, odd digits or a line far too long. (Reading the words alone, without
the bus: tests/unit/test_commands_text.py.)"""

from __future__ import annotations

import pytest

from adapters.bootstrap import App
from bot.features import CATALOG
from bot.kernel.command_refs import as_typed
from bot.kernel.model import Actor, MemberRef
from tests.support.scenes import Say

ZWSP = "\u200b"


async def test_hints_on_slack_name_people_as_slack_mentions(app: App) -> None:
    ada = Actor(MemberRef("slack", "T1", "U0ADA"), "Ada")
    await app.bus.meet(Actor(MemberRef("slack", "T1", "U0BEN"), "Ben"))
    assert (await app.bus.handle_text("/block <@U0BEN>", ada)).ok
    again = await app.bus.handle_text("/block <@U0BEN|ben>", ada)
    unknown = await app.bus.handle_text("/unblock <@U0NOBODY>", ada)
    # Every reply is defused (a zero-width space after "<"), so nobody is pinged by a hint.
    assert "/unblock <@U0BEN> undoes it" in as_typed(again.text).replace(ZWSP, "")
    assert "I don't know <@U0NOBODY> here" in unknown.text.replace(ZWSP, "")


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
    assert "I don't know /frobnicate." in reply.text
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


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("/profile set stage ²", "Saved. stage: ²"),  # a short label, not a number
        ("/profile set capacity ²", "a number from 1 to 20"),
        ("/profile set capacity 99999999999999999999", "a number from 1 to 20"),
        ("/circle set algebra group-size ²", "a number from 2 to 8"),
    ],
)
async def test_odd_digits_get_an_answer_not_an_apology(
    circle_with_people: Say, line: str, answer: str
) -> None:
    reply = await circle_with_people("morgan", line)
    assert answer in reply.text


async def test_a_very_long_line_is_not_echoed_in_full(say: Say) -> None:
    reply = await say("ada", "/circle list " + "y" * 3000)
    assert not reply.ok
    assert len(reply.text) < 300

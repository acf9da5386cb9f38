"""/findbuddy, /buddy, /block and /pause as students use them: matched or queued, told why, asked
whether they met, and never paired against their wishes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.buddies.pairings import meeting_actions, meeting_question
from bot.kernel.command_refs import as_typed
from bot.kernel.model import Action, Member, MemberRef, Pairing, PairingKind, Seat
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import START


async def profiles(say: Say) -> None:
    """Ada in Berlin and Ben in London, both free 17:00-19:00 Berlin time, both study algebra."""
    for line in (
        "/profile set timezone Europe/Berlin",
        "/profile set subjects algebra, physics",
        "/profile set hours mon-thu 17:00-19:00",
        "/profile set stage 10",
    ):
        assert (await say("ada", line)).ok
    for line in (
        "/profile set timezone Europe/London",
        "/profile set subjects Algebra",
        "/profile set hours mon-fri 15:00-20:00",
        "/profile set stage 10",
    ):
        assert (await say("ben", line)).ok


async def test_the_second_seeker_is_matched_and_both_learn_why_in_their_own_time(
    say: Say, messenger: RecordingMessenger
) -> None:
    await profiles(say)
    waiting = await say("ada", "/findbuddy algebra")
    assert "queue" in waiting.text
    assert "your time" in waiting.text
    matched = await say("ben", "/findbuddy")
    assert matched.ok
    assert "Ada" in matched.text
    [told_ben] = messenger.texts_to("ben")
    assert "Ada asked for algebra, which you study" in told_ben
    assert "Mon-Thu 16:00-18:00 your time" in told_ben
    [told] = messenger.texts_to("ada")
    assert "Ben" in told
    assert "you asked for algebra and Ben studies it" in told
    assert "Mon-Thu 17:00-19:00 your time" in told
    assert "Ben" in (await say("ada", "/buddy")).text


@pytest.mark.parametrize(("first", "second"), [("ada", "ben"), ("ben", "ada")])
async def test_each_is_introduced_once_by_dm_and_the_matching_reply_only_points_there(
    say: Say, messenger: RecordingMessenger, first: str, second: str
) -> None:
    """Whoever asks second is matched by their own /findbuddy: the introduction (who, why, what
    comes next) is in their DMs, where it lasts, as it is for the one who waited; the reply
    says who and where the introduction is, and repeats nothing of it."""
    await profiles(say)
    assert "queue" in (await say(first, "/findbuddy")).text
    matched = await say(second, "/findbuddy")
    assert matched.text == (
        f"You have a study buddy: {first.capitalize()}. I've sent you both an introduction by DM."
    )
    for name, partner in ((first, second), (second, first)):
        [introduction] = messenger.texts_to(name)
        assert partner.capitalize() in introduction
        assert "Why: " in introduction
        assert "I'll ask whether you met" in introduction


async def test_asking_twice_or_while_paired_is_refused_and_changes_nothing(say: Say) -> None:
    await say("ada", "/findbuddy")
    again = await say("ada", "/findbuddy")
    assert not again.ok
    assert "already in the buddy queue" in again.text
    await say("ben", "/findbuddy")
    paired = await say("ada", "/findbuddy")
    assert not paired.ok
    assert "already have a study buddy: Ben" in paired.text
    assert "queue" in (await say("cleo", "/findbuddy")).text


async def test_a_subject_asked_for_is_required_of_the_partner(say: Say) -> None:
    await say("ben", "/profile set subjects history")
    await say("ben", "/findbuddy")
    reply = await say("ada", "/findbuddy chemistry")
    assert "Nobody fits for chemistry" in reply.text
    assert "no buddy" not in (await say("ada", "/buddy")).text


async def test_blocked_people_are_never_paired_and_nobody_is_told(
    say: Say, messenger: RecordingMessenger
) -> None:
    await say("ben", "/profile set role student")
    blocked = await say("ada", "/block @ben")
    assert blocked.ok
    assert "Nobody else is told" in blocked.text
    await say("ben", "/findbuddy")
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert messenger.sent == []
    assert (await say("ada", "/unblock @ben")).ok
    assert (await say("ada", "/findbuddy cancel")).ok
    assert "Ben" in (await say("ada", "/findbuddy")).text


async def test_block_and_pause_mistakes_get_clear_answers(say: Say) -> None:
    await say("ada", "/profile")
    for line, expected in (
        ("/block @ada", "cannot block yourself"),
        ("/block @nobody", "I don't know @nobody"),
        ("/block ben", "is not a mention"),
        ("/pause -3d", "not a duration"),
        ("/pause until yesterday", "'yesterday' is not a date"),
        ("/pause until 2026-03-01", "has already begun"),
        ("/buddy end @ada", "is not your buddy"),
        ("/buddy met @ben", "is not your buddy"),
    ):
        reply = await say("ada", line)
        assert not reply.ok, line
        assert expected in reply.text, (line, reply.text)
    assert "no buddy" in (await say("ada", "/buddy")).text


async def test_a_paused_member_is_not_matched_and_leaves_the_queue(say: Say) -> None:
    await say("ada", "/findbuddy")
    paused = await say("ada", "/pause 2w")
    assert "Paused until" in paused.text
    assert "left the buddy queue" in paused.text
    assert "queue" in (await say("ben", "/findbuddy")).text
    refused = await say("ada", "/findbuddy")
    assert not refused.ok
    assert "/pause off" in refused.text
    await say("ada", "/pause off")
    assert "Ben" in (await say("ada", "/findbuddy")).text


async def test_a_request_expires_with_a_message_after_three_days(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await say("ada", "/findbuddy")
    clock.advance(timedelta(days=2, hours=23))
    await app.due.run_due()
    assert messenger.texts_to("ada") == []
    clock.advance(timedelta(hours=2))
    await app.due.run_due()
    await app.due.run_due()
    [expired] = messenger.texts_to("ada")
    assert "expired" in expired
    assert "no buddy" in (await say("ada", "/buddy")).text


async def test_both_are_asked_whether_they_met_and_not_yet_asks_again(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await say("ada", "/findbuddy")
    await say("ben", "/findbuddy")
    messenger.sent.clear()
    clock.advance(timedelta(days=3))
    await app.due.run_due()
    assert any("Did you meet Ben?" in t for t in messenger.texts_to("ada"))
    assert any("Did you meet Ada?" in t for t in messenger.texts_to("ben"))
    assert "ask again in 2 days" in (await say("ada", "/buddy notyet @ben")).text
    assert (await say("ben", "/buddy met @ada")).ok
    messenger.sent.clear()
    clock.advance(timedelta(days=2))
    await app.due.run_due()
    assert len(messenger.texts_to("ada")) == 1
    assert messenger.texts_to("ben") == []


async def test_did_you_meet_carries_buttons_that_do_what_typing_does(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await say("ada", "/findbuddy")
    await say("ben", "/findbuddy")
    clock.advance(timedelta(days=3))
    await app.due.run_due()
    [asked_ada] = [e for e in messenger.sent if "Did you meet Ben?" in e.text]
    [asked_ben] = [e for e in messenger.sent if "Did you meet Ada?" in e.text]
    assert asked_ada.actions == (
        Action("We met", "/buddy met <@ben>", "primary"),
        Action("Not yet", "/buddy notyet <@ben>"),
        Action("We couldn't", "/buddy couldnt <@ben>"),
    )
    assert "Answer with /buddy met @ben, /buddy notyet @ben" in asked_ada.text
    assert asked_ben.actions[0].command == "/buddy met <@ada>"

    pressed = await say("ada", asked_ada.actions[1].command)
    typed = await say("ben", "/buddy notyet @ada")
    assert pressed.text == typed.text
    assert "ask again in 2 days" in pressed.text
    messenger.sent.clear()
    clock.advance(timedelta(days=2))
    await app.due.run_due()
    assert len(messenger.texts_to("ada")) == 1
    assert len(messenger.texts_to("ben")) == 1
    couldnt = await say("ada", asked_ada.actions[2].command)
    assert "/buddy end @ben ends this pairing" in couldnt.text


async def test_ending_a_pairing_tells_the_partner_but_not_the_reason(
    say: Say, messenger: RecordingMessenger
) -> None:
    await say("ada", "/findbuddy")
    await say("ben", "/findbuddy")
    messenger.sent.clear()
    assert (await say("ben", "/buddy end @ada never replies")).ok
    [told] = messenger.texts_to("ada")
    assert "has ended" in told
    assert "never replies" not in told
    assert "queue" in (await say("ada", "/findbuddy")).text


async def test_people_in_different_workspaces_are_never_paired(app: App) -> None:
    first = await app.bus.handle_text("/findbuddy", actor("w1", "Ada"))
    second = await app.bus.handle_text("/findbuddy", actor("w2", "Ben"))
    assert "queue" in first.text
    assert "queue" in second.text


def test_on_slack_did_you_meet_names_the_buddy_as_a_slack_mention() -> None:
    ada = Member(MemberRef("slack", "T1", "U0ADA"), "Ada", id=1)
    ben = Member(MemberRef("slack", "T1", "U0BEN"), "Ben", id=2)
    seats = [Seat(ada, id=1), Seat(ben, id=2)]
    pairing = Pairing(ada.ref.workspace, PairingKind.ON_DEMAND, seats, START, id=1)
    text = as_typed(meeting_question(pairing, pairing.seats[0]))
    assert "/buddy met <@U0BEN>, /buddy notyet <@U0BEN>" in text
    assert "/buddy end <@U0BEN> to end the pairing" in text
    assert meeting_actions(pairing, pairing.seats[0])[0].command == "/buddy met <@U0BEN>"


async def test_the_end_reason_reaches_the_moderators_and_the_enders_export_only(
    say: Say, messenger: RecordingMessenger
) -> None:
    await say("ada", "/findbuddy")
    await say("ben", "/findbuddy")
    messenger.sent.clear()
    reply = await say("ben", "/buddy end @ada never replies")
    assert "reason is sent to the moderators only" in reply.text
    [to_moderator] = messenger.texts_to("morgan")
    assert "Ben ended their buddy pairing with Ada" in to_moderator
    assert "never replies" in to_moderator
    assert all("never replies" not in t for t in messenger.texts_to("ada"))

    [bens] = (await export_of(say, "ben"))["pairings"]
    assert bens["ended_by_me"] is True
    assert bens["my_reason_for_ending"] == "never replies"
    [adas] = (await export_of(say, "ada"))["pairings"]
    assert adas["ended_by_me"] is False
    assert adas["my_reason_for_ending"] is None


async def test_answers_about_an_ended_pairing_are_refused_and_change_nothing(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await say("ada", "/findbuddy")
    await say("ben", "/findbuddy")
    await say("ada", "/buddy end @ben")
    for line in ("/buddy notyet @ben", "/buddy met @ben", "/buddy couldnt @ben", "/buddy end @ben"):
        refused = await say("ada", line)
        assert not refused.ok, line
        assert "ended on Tue 3 Mar" in refused.text
        assert "/buddy shows your buddies" in refused.text
    await say("ada", "/block @ben")  # and after blocking him too
    assert "ended on" in (await say("ada", "/buddy notyet @ben")).text
    messenger.sent.clear()
    clock.advance(timedelta(days=10))
    await app.due.run_due()
    assert [t for t in messenger.texts_to("ada") if "Did you meet" in t] == []
    [pairing] = (await export_of(say, "ada"))["pairings"][-1:]
    assert pairing["did_we_meet"] is None


async def export_of(say: Say, name: str) -> dict[str, Any]:
    [file] = (await say(name, "/privacy export")).files
    document: dict[str, Any] = json.loads(file.content.decode("utf-8"))
    return document


async def test_a_pause_into_next_year_shows_the_year_and_examples_lie_ahead(
    say: Say, clock: ManualClock
) -> None:
    clock.current = START.replace(month=12, day=1)
    reply = await say("ada", "/pause until 2027-01-15")
    assert "Paused until Fri 15 Jan 2027, 00:00" in reply.text
    this_year = await say("ben", "/pause until 2026-12-20")
    assert "Paused until Sun 20 Dec, 00:00" in this_year.text
    wrong = await say("ben", "/pause until someday")
    assert "/pause until 2026-12-31" in wrong.text  # a month ahead, never in the past
    holidays = await say("morgan", "/blackout list")
    assert "/blackout add 2026-12-31 2027-01-07" in holidays.text

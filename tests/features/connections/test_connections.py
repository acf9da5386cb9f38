"""Endings as members live them: when a pairing where they met ends, each is asked one question
for themselves and "stay in touch?"; two yeses keep them in each other's /buddy, a no is never
passed on, and either may let go without the other being told."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from bot.kernel.model import Action, OutboxEntry
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.stored import exported

QUESTION = "What is one thing you'll take from these weeks?"


async def buddies_who_met(say: Say) -> None:
    """Ada and Ben paired by /findbuddy; Ada says they met."""
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert (await say("ben", "/findbuddy")).ok
    assert (await say("ada", "/buddy met @ben")).ok


async def ended_after_meeting(say: Say, messenger: RecordingMessenger) -> None:
    await buddies_who_met(say)
    messenger.sent.clear()
    assert (await say("ada", "/buddy end @ben")).ok


def questions_to(messenger: RecordingMessenger, name: str) -> list[OutboxEntry]:
    return [e for e in messenger.sent if e.destination.target == name and QUESTION in e.text]


async def kept(say: Say) -> None:
    assert (await say("ada", "/buddy keep @ben")).ok
    assert (await say("ben", "/buddy keep @ada")).ok


async def test_ending_a_pairing_that_met_asks_both_one_question_and_stay_in_touch(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    assert "Your buddy pairing with Ada has ended." in messenger.texts_to("ben")[0]
    assert QUESTION in messenger.texts_to("ben")[1], "the news first, then the question"
    for name, partner in (("ada", "ben"), ("ben", "ada")):
        [asked] = questions_to(messenger, name)
        assert asked.text.startswith(
            f"Now that your buddy pairing with {partner.capitalize()} is over, one question, "
            "just for you"
        )
        assert "nobody else reads your answer" in asked.text
        assert "/buddy reflect <your words>" in asked.text
        assert f"Stay in touch with {partner.capitalize()}?" in asked.text
        assert f"/buddy keep @{partner}" in asked.text
        assert f"/buddy letgo @{partner}" in asked.text
        assert asked.actions == (
            Action("Yes, stay in touch", f"/buddy keep <@{partner}>", "primary"),
            Action("No", f"/buddy letgo <@{partner}>"),
        )


async def test_an_ending_with_a_reason_asks_no_one_to_stay_in_touch(
    say: Say, messenger: RecordingMessenger
) -> None:
    await buddies_who_met(say)
    messenger.sent.clear()
    assert (await say("ada", "/buddy end @ben he made me uncomfortable")).ok
    for name in ("ada", "ben"):
        [asked] = questions_to(messenger, name)
        assert "Stay in touch" not in asked.text
        assert asked.actions == ()
    refused = await say("ben", "/buddy keep @ada")
    assert not refused.ok


async def test_a_pairing_that_never_met_ends_without_a_question(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert (await say("ben", "/findbuddy")).ok
    assert (await say("ben", "/buddy couldnt @ada")).ok
    messenger.sent.clear()
    assert (await say("ada", "/buddy end @ben")).ok
    assert questions_to(messenger, "ada") == questions_to(messenger, "ben") == []
    refused = await say("ada", "/buddy keep @ben")
    assert not refused.ok
    assert "I never asked you about staying in touch with Ben" in refused.text


async def test_the_question_waits_out_the_night(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await buddies_who_met(say)
    clock.advance(datetime(2026, 3, 3, 22, 30, tzinfo=UTC) - clock.now())
    messenger.sent.clear()
    assert (await say("ada", "/buddy end @ben")).ok
    assert questions_to(messenger, "ada") == questions_to(messenger, "ben") == []
    assert "has ended" in messenger.texts_to("ben")[0], "the ending itself is told at once"
    clock.advance(datetime(2026, 3, 4, 8, 0, tzinfo=UTC) - clock.now())
    await app.due.run_due()
    assert len(questions_to(messenger, "ada")) == len(questions_to(messenger, "ben")) == 1


async def test_both_saying_yes_keeps_the_connection_and_tells_both(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    first = await say("ada", "/buddy keep @ben")
    assert first.text == "Noted. If Ben says yes too, you'll both be told; a no is never passed on."
    assert not any("said yes" in t for t in messenger.texts_to("ben"))
    second = await say("ben", "/buddy keep @ada")
    assert second.text.startswith("Ada said yes too: you are staying in touch.")
    [told] = [t for t in messenger.texts_to("ada") if "said yes too" in t]
    assert told.startswith("Ben said yes too: you are staying in touch.")
    assert "In touch with Ben since Tue 3 Mar" in (await say("ada", "/buddy")).text
    assert "In touch with Ada since Tue 3 Mar" in (await say("ben", "/buddy")).text


async def test_a_no_is_never_passed_on(say: Say, messenger: RecordingMessenger) -> None:
    await ended_after_meeting(say, messenger)
    assert (await say("ada", "/buddy keep @ben")).ok
    sent_before = len(messenger.sent)
    no = await say("ben", "/buddy letgo @ada")
    assert no.text == "Noted: you won't stay in touch with Ada. Nobody is told."
    assert len(messenger.sent) == sent_before
    assert "In touch" not in (await say("ada", "/buddy")).text
    assert "In touch" not in (await say("ben", "/buddy")).text


async def test_either_may_let_go_and_the_other_is_not_told(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    await kept(say)
    sent_before = len(messenger.sent)
    gone = await say("ben", "/buddy letgo @ada")
    assert "no longer in touch" in gone.text
    assert "Ada is not told" in gone.text
    assert len(messenger.sent) == sent_before
    assert "In touch" not in (await say("ada", "/buddy")).text
    assert "In touch" not in (await say("ben", "/buddy")).text


async def test_a_reflection_is_the_writers_alone_and_in_their_export(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    await kept(say)
    sent_before = len(messenger.sent)
    reply = await say("ada", "/buddy reflect Asking questions early saves hours")
    assert reply.text.startswith("Kept, for you alone: nobody else reads it.")
    assert len(messenger.sent) == sent_before, "nobody, moderators neither, is sent it"
    mine = exported(await say("ada", "/privacy export"))
    assert [
        (r["pairing_with"], r["my_reflection"], r["stay_in_touch"]) for r in mine["reflections"]
    ] == [("Ben", "Asking questions early saves hours", True)]
    assert [c["name"] for c in mine["connections"]] == ["Ben"]
    theirs = exported(await say("ben", "/privacy export"))
    assert [r["my_reflection"] for r in theirs["reflections"]] == [""]
    assert "Asking questions" not in json.dumps(theirs)


async def test_a_round_asks_only_pairs_that_met_and_each_pair_once(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Ada and Ben, the only two in maths, are paired round after round: the first round's
    end asks nothing (they never met), the second's asks both, and the third's nobody."""
    assert (await say("morgan", "/circle create maths")).ok
    for name in ("ada", "ben"):
        assert (await say(name, "/circle join maths")).ok
    assert (await say("morgan", "/round run maths")).ok

    async def next_round() -> list[int]:
        clock.advance(timedelta(days=7))
        messenger.sent.clear()
        assert (await say("morgan", "/round run maths")).ok
        assert "New round in maths: you are with Ben" in messenger.texts_to("ada")[-1]
        return [len(questions_to(messenger, name)) for name in ("ada", "ben")]

    assert await next_round() == [0, 0]
    assert (await say("ada", "/buddy met @ben")).ok
    assert await next_round() == [1, 1]
    assert (await say("ben", "/buddy met @ada")).ok
    assert await next_round() == [0, 0]


async def test_a_trio_that_met_is_not_asked(
    say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Only a pair is asked: "stay in touch?" is between two people."""
    assert (await say("morgan", "/circle create maths")).ok
    assert (await say("morgan", "/circle set maths odd trio")).ok
    for name in ("ada", "ben", "cleo"):
        assert (await say(name, "/circle join maths")).ok
    assert (await say("morgan", "/round run maths")).ok
    assert (await say("ada", "/buddy met @ben")).ok
    clock.advance(timedelta(days=7))
    messenger.sent.clear()
    assert (await say("morgan", "/round run maths")).ok
    assert all(questions_to(messenger, name) == [] for name in ("ada", "ben", "cleo"))


async def test_help_lists_the_three_answers(say: Say) -> None:
    listed = (await say("ada", "/help")).text
    for line in ("/buddy reflect <words>", "/buddy keep @person", "/buddy letgo @person"):
        assert line in listed
    assert "only you read it" in (await say("ada", "/help buddy reflect")).text

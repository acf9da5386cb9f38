"""Rounds notice who has gone quiet: two rounds in a row without a word about meeting leave a
member out of the next with one "still in?"; no answer pauses them, tells them the way back and
tells the moderators; whoever answered, even "we couldn't", is never counted."""

from __future__ import annotations

from datetime import timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say

STUDENTS = ("ada", "ben", "cleo", "dev")
STILL_IN = "Are you still in?"


async def circle(say: Say) -> None:
    assert (await say("morgan", "/circle create maths")).ok
    for name in STUDENTS:
        assert (await say(name, "/circle join maths")).ok


def partner_of(messenger: RecordingMessenger, name: str) -> str:
    """Who `name` was last put with, as the handle to type."""
    [*_, introduction] = [t for t in messenger.texts_to(name) if "you are with" in t]
    return introduction.split("you are with ", 1)[1].split(".", 1)[0].lower()


async def a_round_and_the_question(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """A round, then four days on, when everyone has been asked "did you meet?"."""
    messenger.sent.clear()
    assert (await say("morgan", "/round run maths")).ok
    clock.advance(timedelta(days=4))  # `[matching] meeting_check_days` is 3
    await app.due.run_due()
    assert all(any("Did you meet" in t for t in messenger.texts_to(n)) for n in STUDENTS)


async def round_where_ada_is_silent(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """A round in which Ada says nothing; her partner says they couldn't meet, the others met."""
    await a_round_and_the_question(app, say, clock, messenger)
    for name in STUDENTS[1:]:
        partner = partner_of(messenger, name)
        answer = "couldnt" if partner == "ada" else "met"
        assert (await say(name, f"/buddy {answer} @{partner}")).ok


async def test_two_silent_rounds_leave_a_member_out_then_no_answer_pauses_them(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    for _ in range(2):
        await round_where_ada_is_silent(app, say, clock, messenger)
    preview = (await say("morgan", "/round preview maths")).text
    assert (
        'Left out for going quiet (they get "still in?"): Ada (no word about meeting in 2'
        in preview
    )
    assert "Ada" not in "".join(line for line in preview.splitlines() if line.startswith("•"))

    messenger.sent.clear()
    ran = await say("morgan", "/round run maths")
    assert "Left out for going quiet" in ran.text
    [asked] = messenger.texts_to("ada")
    assert STILL_IN in asked
    assert "your last 2 pairing rounds, so I have left you out of this one in maths" in asked
    assert "/checkin stay" in asked
    for name in STUDENTS[1:]:  # her partners, who answered, are paired as usual
        assert any("you are with" in t for t in messenger.texts_to(name))
        assert not any(STILL_IN in t for t in messenger.texts_to(name))

    clock.advance(timedelta(days=4))  # `[checkins] still_in_days` is 3
    await app.due.run_due()
    [paused] = [t for t in messenger.texts_to("ada") if "are paused" in t]
    assert "/pause off" in paused
    [told] = [t for t in messenger.texts_to("morgan") if "still in?" in t]
    assert "Ada did not say whether they met their buddy in 2 rounds in a row" in told
    preview = (await say("morgan", "/round preview maths")).text
    assert "Paused after going quiet (/pause off brings them back): Ada" in preview

    assert (await say("ada", "/pause off")).ok
    preview = (await say("morgan", "/round preview maths")).text
    assert "Ada" in "".join(line for line in preview.splitlines() if line.startswith("•"))


async def test_still_in_puts_them_back_in_the_next_round(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    for _ in range(2):
        await round_where_ada_is_silent(app, say, clock, messenger)
    messenger.sent.clear()
    assert (await say("morgan", "/round run maths")).ok
    [asked] = [e for e in messenger.sent if e.destination.target == "ada"]
    [button] = asked.actions
    assert button.label == "I'm still in"
    stayed = await say("ada", button.command)
    assert "pairings carry on" in stayed.text
    messenger.sent.clear()
    assert (await say("morgan", "/round run maths")).ok
    assert any("you are with" in t for t in messenger.texts_to("ada"))


async def test_a_silent_round_then_an_answered_one_starts_the_count_again(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    await round_where_ada_is_silent(app, say, clock, messenger)
    await a_round_and_the_question(app, say, clock, messenger)
    assert (await say("ada", f"/buddy couldnt @{partner_of(messenger, 'ada')}")).ok
    await round_where_ada_is_silent(app, say, clock, messenger)
    preview = (await say("morgan", "/round preview maths")).text
    assert "going quiet" not in preview
    assert preview.count("•") == 2


async def test_a_pairing_ended_before_anyone_was_asked_counts_for_nothing(
    say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Rounds run an hour apart: nobody has been asked "did you meet?", so nobody went quiet."""
    await circle(say)
    for _ in range(3):
        assert (await say("morgan", "/round run maths")).ok
        clock.advance(timedelta(hours=1))
    messenger.sent.clear()
    ran = await say("morgan", "/round run maths")
    assert "going quiet" not in ran.text
    assert not any("still in?" in e.text for e in messenger.sent)
    assert all(any("you are with" in t for t in messenger.texts_to(n)) for n in STUDENTS)


async def test_the_moderators_hear_of_everyone_paused_together_in_one_note(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    for _ in range(2):
        await a_round_and_the_question(app, say, clock, messenger)  # nobody answers
    ran = await say("morgan", "/round run maths")
    assert "nobody could be paired" in ran.text
    clock.advance(timedelta(days=4))
    messenger.sent.clear()
    await app.due.run_due()
    [note] = [t for t in messenger.texts_to("morgan") if "still in?" in t]
    assert note.startswith('4 members did not answer "still in?", so they are paused now:')
    for name in ("Ada", "Ben", "Cleo", "Dev"):
        assert f"• {name} did not say whether they met their buddy in 2 rounds in a row" in note
    assert all(any("are paused" in t for t in messenger.texts_to(n)) for n in STUDENTS)

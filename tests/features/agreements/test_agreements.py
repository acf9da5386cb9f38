"""The agreement at the start of a mentoring pairing: both get it with an "I agree" button,
confirm it once, see who has confirmed, and the moderators hear of pairs that have not both
confirmed after three days, once."""

from __future__ import annotations

from datetime import timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from bot.kernel.model import Action, Member, MemberRef, Pairing, PairingKind, Seat, SeatRole
from bot.kernel.pairing_start import agreement_message
from bot.kernel.settings import CoreSettings
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring
from tests.support.settings import START

AGREEMENT = "Before you start, please read and confirm your agreement"


async def mentor_and_mentee(say: Say) -> None:
    """Maya (a mentor) and Ada (a student) paired by /findbuddy."""
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("ada", "/profile set role student")).ok
    assert "queue" in (await say("maya", "/findbuddy")).text
    assert (await say("ada", "/findbuddy")).ok


def agreements_to(messenger: RecordingMessenger, name: str) -> list[str]:
    return [t for t in messenger.texts_to(name) if AGREEMENT in t]


async def test_a_mentor_and_a_mentee_both_get_the_agreement_with_a_button_and_a_line_to_type(
    say: Say, messenger: RecordingMessenger
) -> None:
    await mentor_and_mentee(say)
    [to_ada] = agreements_to(messenger, "ada")
    [to_maya] = agreements_to(messenger, "maya")
    assert "Maya (your mentor)" in to_ada
    assert "Ada (your mentee)" in to_maya
    for text in (to_ada, to_maya):
        assert "How often: about once a week" in text
        assert "Off limits" in text
        assert "/buddy end" in text
        assert "/flag" in text
    assert "/agreement confirm @maya" in to_ada
    [entry] = [e for e in messenger.sent if e.destination.target == "ada" and AGREEMENT in e.text]
    assert entry.actions == (Action("I agree", "/agreement confirm <@maya>", "primary"),)


async def test_peers_get_no_agreement_and_are_told_so(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert (await say("ben", "/findbuddy")).ok
    assert agreements_to(messenger, "ada") == agreements_to(messenger, "ben") == []
    for line in ("/agreement", "/agreement confirm"):
        reply = await say("ada", line)
        assert not reply.ok
        assert "between peers" in reply.text


async def test_confirming_without_any_pairing_says_there_is_none(say: Say) -> None:
    reply = await say("ada", "/agreement confirm")
    assert not reply.ok
    assert "no pairing right now" in reply.text


async def test_confirming_records_it_once_and_a_second_time_says_so(say: Say) -> None:
    await mentor_and_mentee(say)
    first = await say("ada", "/agreement confirm @maya")
    assert first.ok
    assert "you confirmed your agreement with Maya" in first.text
    again = await say("ada", "/agreement confirm")
    assert again.ok
    assert "You already confirmed your agreement with Maya on Tue 3 Mar; nothing changed." in (
        again.text
    )
    shown = await say("maya", "/agreement")
    assert "Your agreement with Ada" in shown.text
    assert "Confirmed by Ada (Tue 3 Mar). Not yet: you." in shown.text
    assert [a.label for a in shown.actions] == ["I agree"]
    assert (await say("maya", "/agreement confirm")).ok
    both = await say("ada", "/agreement")
    assert "Confirmed by" in both.text
    assert "Not yet" not in both.text
    assert both.actions == ()


async def test_confirming_with_someone_who_is_not_my_partner_changes_nothing(say: Say) -> None:
    await mentor_and_mentee(say)
    reply = await say("ada", "/agreement confirm @ben")
    assert not reply.ok
    assert "no mentoring pairing with @ben" in reply.text
    assert "Nobody has confirmed yet." in (await say("ada", "/agreement")).text


async def test_a_mentor_with_two_mentees_names_whose_agreement_they_confirm(say: Say) -> None:
    await mentor_and_mentee(say)
    assert (await say("maya", "/profile set capacity 3")).ok
    assert (await say("morgan", "/circle create mentoring")).ok
    assert (await say("maya", "/circle join mentoring as mentor")).ok
    assert (await say("ben", "/circle join mentoring")).ok
    assert (await say("morgan", "/round run mentoring")).ok
    reply = await say("maya", "/agreement confirm")
    assert not reply.ok
    assert "say which one you confirm" in reply.text
    assert "@ada" in reply.text
    assert "@ben" in reply.text
    assert (await say("maya", "/agreement confirm @ben")).ok


async def test_a_circle_can_turn_the_agreement_off(say: Say, messenger: RecordingMessenger) -> None:
    assert (await say("morgan", "/circle create mentoring")).ok
    set_off = await say("morgan", "/circle set mentoring agreement off")
    assert set_off.ok, set_off.text
    assert "agreement is now off" in set_off.text
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("maya", "/circle join mentoring as mentor")).ok
    assert (await say("ada", "/circle join mentoring")).ok
    assert (await say("morgan", "/round run mentoring")).ok
    assert any("New round in mentoring" in t for t in messenger.texts_to("ada"))
    assert agreements_to(messenger, "ada") == []
    reply = await say("ada", "/agreement")
    assert not reply.ok
    assert "agreements turned off" in reply.text


async def test_a_round_s_agreement_says_how_often_from_the_circle_s_cadence(
    say: Say, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("ada", "/circle join mentoring")).ok
    assert (await say("morgan", "/round run mentoring")).ok
    [to_ada] = agreements_to(messenger, "ada")
    assert "How often: every week" in to_ada


async def test_the_moderators_hear_once_of_a_pair_not_both_confirmed_after_three_days(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentor_and_mentee(say)
    assert (await say("ada", "/agreement confirm")).ok
    clock.advance(timedelta(days=2, hours=23))
    await app.due.run_due()
    assert not any("not confirmed" in t for t in messenger.texts_to("morgan"))
    clock.advance(timedelta(hours=2))
    await app.due.run_due()
    [note] = [t for t in messenger.texts_to("morgan") if "not confirmed" in t]
    assert "Ada (mentee, confirmed), Maya (mentor, not yet), paired Tue 3 Mar" in note
    assert messenger.texts_to("ada").count(note) == messenger.texts_to("maya").count(note) == 0
    clock.advance(timedelta(days=1))
    await app.due.run_due()
    assert len([t for t in messenger.texts_to("morgan") if "not confirmed" in t]) == 1


async def test_a_pair_that_both_confirmed_is_not_named_to_the_moderators(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentor_and_mentee(say)
    assert (await say("ada", "/agreement confirm")).ok
    assert (await say("maya", "/agreement confirm")).ok
    clock.advance(timedelta(days=4))
    await app.due.run_due()
    assert not any("not confirmed" in t for t in messenger.texts_to("morgan"))


def test_a_group_s_agreement_speaks_to_all_of_them_and_a_pair_s_to_both() -> None:
    maya, ada, ben = (
        Member(MemberRef("console", "local", name), name.title(), id=n)
        for n, name in enumerate(("maya", "ada", "ben"), start=1)
    )
    seats = [
        Seat(maya, SeatRole.MENTOR, id=1),
        Seat(ada, SeatRole.MENTEE, id=2),
        Seat(ben, SeatRole.MENTEE, id=3),
    ]
    group = Pairing(maya.ref.workspace, PairingKind.ROUND, seats, START, id=1)
    pair = Pairing(maya.ref.workspace, PairingKind.ROUND, seats[:2], START, id=2)
    to_group = agreement_message(group, group.seats[1], None, CoreSettings()).text
    to_pair = agreement_message(pair, pair.seats[1], None, CoreSettings()).text
    assert "Any of you can end the pairing" in to_group
    assert "no need to explain to the others" in to_group
    assert "either of you" not in to_group.lower()
    assert "Either of you can end the pairing" in to_pair
    assert "no need to explain to the other." in to_pair

"""Check-ins as mentors and moderators live them: prompted at nine their own time, answered in a
line or a form, reminded at most twice, concerns sent privately, a digest when the window closes,
and nothing sent twice or into quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.bootstrap import App
from adapters.clock import ManualClock
from bot.kernel.model import Action, OutboxEntry
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring

PROMPT = "Time for your check-in in the mentoring circle"
REMINDER = "A reminder: your mentoring check-in"
DIGEST = "Check-in summary for mentoring"


async def run_until(app: App, clock: ManualClock, until: datetime, step: timedelta) -> None:
    """Tick every `step` until `until`, as the scheduler would."""
    while clock.now() + step <= until:
        clock.advance(step)
        await app.due.run_due()


def sent_to(messenger: RecordingMessenger, name: str, text: str) -> list[OutboxEntry]:
    return [e for e in messenger.sent if e.destination.target == name and text in e.text]


async def test_each_mentor_is_prompted_at_nine_their_time_across_daylight_saving_changes(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    # The US moves its clocks on 8 March 2026, Europe on 29 March: four Mondays span both.
    await mentoring(say, {"berta": "Europe/Berlin", "chuck": "America/Chicago"})
    for monday in (9, 16, 23, 30):
        clock.current = datetime(2026, 3, monday, 0, 0, tzinfo=UTC)
        await run_until(app, clock, clock.now() + timedelta(days=1), timedelta(hours=1))
        # The circle's round pairs the two each Monday: saying they met keeps them in it.
        assert (await say("berta", "/buddy met @chuck")).ok
    for name, zone in (("berta", "Europe/Berlin"), ("chuck", "America/Chicago")):
        local = [e.created_at.astimezone(ZoneInfo(zone)) for e in sent_to(messenger, name, PROMPT)]
        assert [(t.day, t.strftime("%a %H:%M")) for t in local] == [
            (d, "Mon 09:00") for d in (9, 16, 23, 30)
        ]
    berlin_utc = [e.created_at.hour for e in sent_to(messenger, "berta", PROMPT)]
    assert berlin_utc == [8, 8, 8, 7]


async def test_quiet_hours_hold_a_prompt_until_they_end(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"berta": "Europe/Berlin", "omar": "Europe/London"}, time="07:00")
    assert (await say("omar", "/profile set quiet-hours 22:00-07:00")).ok
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 10, tzinfo=UTC), timedelta(hours=1))
    [berta] = sent_to(messenger, "berta", PROMPT)
    [omar] = sent_to(messenger, "omar", PROMPT)
    assert berta.created_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "08:00"
    assert omar.created_at.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "07:00"


async def test_only_mentors_are_asked_unless_the_circle_includes_everyone(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("ada", "/circle join mentoring")).ok
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 10, tzinfo=UTC), timedelta(hours=3))
    assert len(sent_to(messenger, "maya", PROMPT)) == 1
    assert sent_to(messenger, "ada", PROMPT) == []
    assert (await say("morgan", "/circle set mentoring checkin-audience everyone")).ok
    clock.current = datetime(2026, 3, 16, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 17, tzinfo=UTC), timedelta(hours=3))
    assert len(sent_to(messenger, "ada", PROMPT)) == 1


async def test_blackout_dates_send_nothing_and_the_cadence_resumes(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert not (await say("maya", "/blackout add 2026-03-09")).ok
    assert (await say("morgan", "/blackout add 2026-03-09")).ok
    assert "Mon 9 Mar 2026" in (await say("morgan", "/blackout list")).text
    clock.current = datetime(2026, 3, 8, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 17, tzinfo=UTC), timedelta(hours=3))
    [prompt] = sent_to(messenger, "maya", PROMPT)
    assert prompt.created_at == datetime(2026, 3, 16, 9, tzinfo=UTC)


async def test_answering_edits_until_close_and_stops_reminders(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC", "theo": "UTC"})
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 9, 9, 30, tzinfo=UTC), timedelta(hours=3))
    shown = await say("maya", "/checkin")
    assert "How is it going?" in shown.text
    assert shown.form is not None
    assert shown.form.fields[1].label == "Did you meet your mentees?"
    saved = await say("maya", "/checkin answer Good week | Yes, twice | Nothing")
    assert "You can change it until Thu 12 Mar, 09:00" in saved.text
    assert (await say("maya", "/checkin answer Better week")).ok
    assert "Better week" in (await say("maya", "/checkin")).text
    await run_until(app, clock, datetime(2026, 3, 13, tzinfo=UTC), timedelta(hours=3))
    assert sent_to(messenger, "maya", REMINDER) == []
    reminders = sent_to(messenger, "theo", REMINDER)
    assert [e.created_at.day for e in reminders] == [10, 11]
    assert "last reminder" in reminders[-1].text
    refused = await say("maya", "/checkin answer Changed")
    assert not refused.ok
    assert "Nothing is open" in refused.text


async def test_the_prompt_and_reminders_carry_buttons_that_do_what_typing_does(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC", "theo": "UTC"})
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 10, 12, tzinfo=UTC), timedelta(hours=3))
    buttons = (
        Action("Answer", "/checkin mentoring", "primary"),
        Action("Skip this one", "/checkin skip"),
    )
    [prompt] = sent_to(messenger, "maya", PROMPT)
    [reminder] = sent_to(messenger, "theo", REMINDER)
    assert prompt.actions == buttons
    assert reminder.actions == buttons
    assert "Answer with /checkin" in prompt.text
    assert "/checkin skip [reason] skips this one" in reminder.text

    pressed = await say("maya", prompt.actions[0].command)
    typed = await say("maya", "/checkin mentoring")
    assert pressed == typed
    assert pressed.form is not None
    skipped = await say("theo", reminder.actions[1].command)
    assert "Skipped this time: mentoring" in skipped.text
    assert "Skipped: 1: Theo" in (await say("morgan", "/checkin status mentoring")).text


async def test_a_skip_stops_reminders_and_a_late_answer_is_kept_as_late(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC", "theo": "UTC"})
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 9, 10, tzinfo=UTC), timedelta(hours=3))
    assert "Skipped this time: mentoring" in (await say("theo", "/checkin skip on leave")).text
    await run_until(app, clock, datetime(2026, 3, 12, 12, tzinfo=UTC), timedelta(hours=3))
    assert sent_to(messenger, "theo", REMINDER) == []
    late = await say("maya", "/checkin answer Sorry, busy week")
    assert "late answer" in late.text
    status = (await say("morgan", "/checkin status mentoring")).text
    assert "Answered: 1: Maya (late)" in status
    assert "Skipped: 1: Theo (on leave)" in status


async def test_a_concern_reaches_the_moderators_privately_and_nowhere_else(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("morgan", "/circle set mentoring channel #mentoring")).ok
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()
    reply = await say("maya", "/checkin concern Hard week | No | A mentee seems very low")
    assert "went privately to the moderators" in reply.text
    [concern] = [t for t in messenger.texts_to("morgan") if "Concern" in t]
    assert "Concern from Maya in mentoring" in concern
    assert "A mentee seems very low" in concern
    assert not any("very low" in e.text for e in messenger.sent if e.destination.kind != "dm")
    assert "mentee seems" not in "".join(messenger.texts_to("maya"))


async def test_flag_goes_to_the_moderators_only(say: Say, messenger: RecordingMessenger) -> None:
    reply = await say("ada", "/flag Someone in algebra keeps messaging me @everyone")
    assert "Sent privately to the moderators" in reply.text
    [flag] = messenger.texts_to("morgan")
    assert "Concern from Ada" in flag
    assert "@everyone" not in flag
    assert [e.destination.target for e in messenger.sent] == ["morgan"]
    assert not (await say("ada", "/flag")).ok


async def test_the_digest_counts_each_state_once_when_the_window_closes(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC", "theo": "UTC", "zoe": "UTC"})
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()
    await say("maya", "/checkin concern Fine | Yes | One worry")
    await say("theo", "/checkin skip")
    await run_until(app, clock, datetime(2026, 3, 12, 8, tzinfo=UTC), timedelta(hours=4))
    assert [t for t in messenger.texts_to("morgan") if DIGEST in t] == []
    await run_until(app, clock, datetime(2026, 3, 13, tzinfo=UTC), timedelta(hours=1))
    await app.due.run_due()  # a second tick at the same time sends no second digest
    [digest] = [t for t in messenger.texts_to("morgan") if DIGEST in t]
    assert "3 asked" in digest
    assert "Answered: 1: Maya" in digest
    assert "Skipped: 1: Theo" in digest
    assert "Missing: 1: Zoe" in digest
    assert "Concerns: 1: Maya" in digest


async def test_three_missed_bring_one_still_in_then_a_pause_with_the_way_back(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC", "theo": "UTC"})
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    for monday in (9, 16, 23):
        await run_until(app, clock, datetime(2026, 3, monday, 12, tzinfo=UTC), timedelta(hours=6))
        # The circle's round pairs the two each Monday; Maya says they met, so neither went
        # quiet in the rounds (tests/features/buddies/test_quiet_rounds.py).
        assert (await say("maya", "/buddy met @theo")).ok
    await run_until(app, clock, datetime(2026, 3, 27, tzinfo=UTC), timedelta(hours=6))
    [ask] = [t for t in messenger.texts_to("theo") if "still in?" in t]
    assert "missed your last 3 check-ins" in ask
    [maya_asked] = sent_to(messenger, "maya", "still in?")
    assert maya_asked.text == ask
    assert maya_asked.actions == (Action("I'm still in", "/checkin stay", "primary"),)
    assert (await say("maya", maya_asked.actions[0].command)).ok  # the button
    await run_until(app, clock, datetime(2026, 3, 30, 8, tzinfo=UTC), timedelta(hours=6))
    assert [t for t in messenger.texts_to("theo") if "are paused" in t]
    assert [t for t in messenger.texts_to("maya") if "are paused" in t] == []
    [told] = [t for t in messenger.texts_to("morgan") if "did not answer" in t]
    assert "Theo missed 3 check-ins" in told
    await run_until(app, clock, datetime(2026, 3, 31, tzinfo=UTC), timedelta(hours=6))
    assert len(sent_to(messenger, "theo", PROMPT)) == 3
    assert len(sent_to(messenger, "maya", PROMPT)) == 4


async def test_a_restart_sends_what_is_still_answerable_once_and_records_the_rest(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    clock.current = datetime(2026, 3, 10, 15, tzinfo=UTC)  # the bot was down over Monday 09:00
    await app.due.run_due()
    await app.due.run_due()
    assert len(sent_to(messenger, "maya", PROMPT)) == 1
    clock.current = datetime(2026, 3, 20, tzinfo=UTC)  # down again over the 16th's whole window
    await app.due.run_due()
    assert len(sent_to(messenger, "maya", PROMPT)) == 1
    status = (await say("morgan", "/checkin status mentoring")).text
    assert "Missed: 1: Maya" in status


async def test_bad_schedule_input_is_refused_and_changes_nothing(say: Say) -> None:
    await mentoring(say, {"maya": "UTC"})
    for line in (
        "/circle set mentoring time 25:00",
        "/circle set mentoring day funday",
        "/circle set mentoring checkin-questions  | ",
        "/circle set mentoring checkin-audience some",
        "/blackout add 2026-13-01",
        "/blackout add 2026-03-10 2026-03-01",
        "/blackout add 2025-01-01",
    ):
        reply = await say("morgan", line)
        assert not reply.ok, line
    info = (await say("morgan", "/circle info mentoring")).text
    assert "09:00" in info
    assert "mon" in info.lower()


async def test_checkin_with_nothing_open_says_when_the_next_one_comes(
    app: App, say: Say, clock: ManualClock
) -> None:
    assert "no check-ins" in (await say("maya", "/checkin")).text
    await mentoring(say, {"maya": "Europe/Berlin"})
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()
    assert (await say("maya", "/checkin answer Fine")).ok
    clock.current = datetime(2026, 3, 13, tzinfo=UTC)
    reply = await say("maya", "/checkin")
    assert not reply.ok
    assert "Next: mentoring on Mon 16 Mar, 09:00 (your time)" in reply.text
    too_many = await say("maya", "/checkin answer a | b | c | d")
    assert not too_many.ok


async def test_a_typed_answer_never_guesses_between_two_circles(
    app: App, say: Say, clock: ManualClock
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("morgan", "/circle create physics")).ok
    for key, value in {"cadence": "weekly", "day": "wed", "time": "09:00"}.items():
        assert (await say("morgan", f"/circle set physics {key} {value}")).ok
    assert (await say("maya", "/circle join physics as mentor")).ok
    clock.current = datetime(2026, 3, 11, 9, tzinfo=UTC)  # both are open on Wednesday
    await app.due.run_due()
    refused = await say("maya", "/checkin answer Fine")
    assert not refused.ok
    assert "mentoring and physics" in refused.text
    assert (await say("maya", "/checkin physics")).form is not None
    clock.current = datetime(2026, 3, 12, 10, tzinfo=UTC)  # mentoring has closed unanswered
    await app.due.run_due()
    assert (await say("maya", "/checkin answer Physics went well")).ok  # the only open one
    late = await say("maya", "/checkin answer Mentoring, late")
    assert "late answer: your mentoring check-in" in late.text
    assert "Physics went well" in (await say("maya", "/checkin physics")).text


async def test_still_in_waits_for_the_morning_and_reminders_skip_holidays(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    # Fridays at 21:30, in Berlin's quiet hours: each prompt waits for the morning, and the one
    # of Friday 13 March waits past the holiday weekend.
    await mentoring(say, {"berta": "Europe/Berlin"}, day="fri", time="21:30")
    assert (await say("morgan", "/blackout add 2026-03-14 2026-03-15")).ok
    clock.current = datetime(2026, 3, 6, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 26, tzinfo=UTC), timedelta(hours=1))
    berlin = ZoneInfo("Europe/Berlin")
    sent = [
        e.created_at.astimezone(berlin)
        for e in messenger.sent
        if e.destination.target == "berta" and e.next_attempt_at == e.created_at
    ]
    assert [f"{t:%a %d %H:%M}" for t in sent if t.day in (13, 14, 15, 16)][:1] == ["Mon 16 08:00"]
    assert len(sent_to(messenger, "berta", REMINDER)) >= 3
    [still_in] = [e for e in messenger.sent if "are you still in?" in e.text]
    asked = still_in.next_attempt_at.astimezone(berlin)
    assert "08:00" <= f"{asked:%H:%M}" < "21:00"


async def test_leaving_a_circle_ends_its_open_check_in(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC", "theo": "UTC"})
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()
    assert (await say("theo", "/circle leave mentoring")).ok
    await run_until(app, clock, datetime(2026, 3, 13, tzinfo=UTC), timedelta(hours=3))
    assert sent_to(messenger, "theo", REMINDER) == []
    [digest] = [t for t in messenger.texts_to("morgan") if DIGEST in t]
    assert "Skipped: 1: Theo (left the circle)" in digest
    assert "Missing: 1: Maya" in digest


async def test_quiet_hours_that_would_silence_every_prompt_are_refused(say: Say) -> None:
    for window in ("00:00-24:00", "08:00-07:00", "09:00-09:00"):
        assert not (await say("maya", f"/profile set quiet-hours {window}")).ok, window
    assert (await say("maya", "/profile set quiet-hours 22:00-07:30")).ok


async def test_the_digest_waits_for_the_moderators_morning_but_a_concern_does_not(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"}, time="22:00")
    assert (await say("morgan", "/profile set timezone UTC")).ok
    clock.current = datetime(2026, 3, 9, 22, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 10, 9, tzinfo=UTC), timedelta(hours=1))
    assert (await say("maya", "/checkin concern Fine | Yes | Worried about a mentee")).ok
    [concern] = [e for e in messenger.sent if "Concern from Maya" in e.text]
    assert concern.next_attempt_at == datetime(2026, 3, 10, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 13, 12, tzinfo=UTC), timedelta(hours=1))
    [digest] = [e for e in messenger.sent if DIGEST in e.text]
    assert digest.created_at == datetime(2026, 3, 12, 22, tzinfo=UTC)
    assert digest.next_attempt_at == datetime(2026, 3, 13, 8, tzinfo=UTC)


async def test_still_in_after_the_automatic_pause_brings_the_member_back(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"theo": "UTC"})
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 30, 8, tzinfo=UTC), timedelta(hours=6))
    assert [t for t in messenger.texts_to("theo") if "are paused" in t]
    back = await say("theo", "/checkin stay")
    assert "Welcome back: your pause is over" in back.text
    assert "Good to have you" not in back.text
    await run_until(app, clock, datetime(2026, 4, 7, tzinfo=UTC), timedelta(hours=6))
    assert [e for e in sent_to(messenger, "theo", PROMPT) if e.created_at.day == 6]


async def test_pause_off_when_not_paused_says_so_and_changes_nothing(say: Say) -> None:
    refused = await say("ada", "/pause off")
    assert not refused.ok
    assert "You are not paused" in refused.text
    assert "Welcome back" not in refused.text
    assert "/pause 2w" in refused.text


@pytest.fixture
async def maya_prompted(app: App, say: Say, clock: ManualClock) -> Say:
    """Maya, a mentor in UTC, with Monday 9 March's check-in of `mentoring` open."""
    await mentoring(say, {"maya": "UTC"})
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()
    return say


async def test_a_partial_answer_is_saved_and_the_empty_questions_are_named(
    maya_prompted: Say,
) -> None:
    say = maya_prompted
    reply = await say("maya", "/checkin answer Great")
    assert "Saved your mentoring check-in" in reply.text
    assert "You answered 1 of 3: questions 2, 3 left empty." in reply.text
    assert "/checkin mentoring fills them in" in reply.text
    full = await say("maya", "/checkin answer Great | Twice | No")
    assert "left empty" not in full.text


async def test_skip_after_answering_keeps_the_answers_and_says_how_to_change_them(
    maya_prompted: Say,
) -> None:
    say = maya_prompted
    assert (await say("maya", "/checkin answer Great | Twice | No")).ok
    skip = await say("maya", "/checkin skip busy")
    assert not skip.ok
    assert "already answered your mentoring check-in" in skip.text
    assert "Nothing is open" not in skip.text
    assert "Great" in (await say("maya", "/checkin mentoring")).text

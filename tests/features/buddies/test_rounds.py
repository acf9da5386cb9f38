"""Circle rounds: previewed without sending, run by hand or on the cadence, once per period,
fair to whoever sits out, and never pairing paused people."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say

STUDENTS = ("ada", "ben", "cleo", "dev", "eli")


async def circle(say: Say, odd: str = "sit-out") -> None:
    assert (await say("morgan", "/circle create maths")).ok
    assert (await say("morgan", "/circle set maths channel #maths")).ok
    assert (await say("morgan", f"/circle set maths odd {odd}")).ok
    for name in STUDENTS:
        assert (await say(name, "/circle join maths")).ok


async def test_a_preview_shows_the_round_with_reasons_and_sends_nothing(
    say: Say, messenger: RecordingMessenger
) -> None:
    await circle(say)
    preview = await say("morgan", "/round preview maths")
    assert preview.ok
    assert "nothing was sent" in preview.text
    assert preview.text.count("•") == 2
    assert "Sits out:" in preview.text
    assert messenger.sent == []
    assert "no buddy" in (await say("ada", "/buddy")).text


async def test_only_moderators_and_facilitators_run_rounds(say: Say) -> None:
    await circle(say)
    reply = await say("ada", "/round run maths")
    assert not reply.ok


async def test_a_round_tells_everyone_and_the_sitter_out_why(
    say: Say, messenger: RecordingMessenger
) -> None:
    await circle(say)
    assert (await say("morgan", "/round run maths")).ok
    told = {name: messenger.texts_to(name) for name in STUDENTS}
    matched = [
        n
        for n, texts in told.items()
        if any("New round in maths: you are with" in t for t in texts)
    ]
    resting = [n for n, texts in told.items() if any("sit this one out" in t for t in texts)]
    assert len(matched) == 4
    assert len(resting) == 1
    assert any("2 pairs." in t for t in messenger.texts_to("#maths"))


async def test_whoever_runs_the_round_from_inside_it_is_introduced_once_by_dm(
    say: Say, messenger: RecordingMessenger
) -> None:
    """Maya facilitates maths and is in it: the run's reply says who is with whom; her
    introduction, like everyone's, is in her DMs alone."""
    await circle(say, odd="trio")
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("morgan", "/circle add @maya maths as facilitator")).ok
    messenger.sent.clear()
    ran = await say("maya", "/round run maths")
    assert ran.ok
    assert "Maya" in ran.text
    assert "introduction by DM" in ran.text
    assert "Why" not in ran.text
    assert "is told" not in ran.text
    for name in ("maya", *STUDENTS):
        # A mentor and a mentee also get their agreement to confirm (bot.kernel.pairing_start).
        [introduction] = [t for t in messenger.texts_to(name) if "confirm your agreement" not in t]
        assert "New round in maths: you are with" in introduction
        assert "Why" in introduction


async def test_sitting_out_rotates_through_everyone(
    say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    resting: list[str] = []
    for _ in range(10):
        messenger.sent.clear()
        assert (await say("morgan", "/round run maths")).ok
        [name] = [
            n for n in STUDENTS if any("sit this one out" in t for t in messenger.texts_to(n))
        ]
        resting.append(name)
        await say_we_met(say, messenger)  # nobody goes quiet (test_quiet_rounds.py)
        clock.advance(timedelta(days=1))
    assert Counter(resting[:5]) == Counter(STUDENTS)
    assert Counter(resting[5:]) == Counter(STUDENTS)


async def say_we_met(say: Say, messenger: RecordingMessenger) -> None:
    """Everyone just paired tells the bot they met their (first) partner."""
    for name in STUDENTS:
        for text in messenger.texts_to(name):
            if "you are with" in text:
                partner = partners_in(text).split(" and ")[0].lower()
                assert (await say(name, f"/buddy met @{partner}")).ok


def partners_in(text: str) -> str:
    return text.split("you are with ", 1)[1].split(". Why", 1)[0]


async def test_a_trio_in_the_preview_keeps_each_partners_reasons_under_it(say: Say) -> None:
    await circle(say, odd="trio")
    preview = (await say("morgan", "/round preview maths")).text.splitlines()
    [trio] = [n for n, line in enumerate(preview) if line.startswith("•") and line.count("+") == 2]
    assert preview[trio + 1].startswith("    ")
    assert not preview[trio + 1].lstrip().startswith("•")


async def test_with_the_trio_rule_nobody_is_left_out(
    say: Say, messenger: RecordingMessenger
) -> None:
    await circle(say, odd="trio")
    assert (await say("morgan", "/round run maths")).ok
    lines = {
        n: [partners_in(t) for t in messenger.texts_to(n) if "you are with" in t] for n in STUDENTS
    }
    assert all(len(found) == 1 for found in lines.values())
    in_trio = [n for n, [line] in lines.items() if " and " in line]
    assert len(in_trio) == 3


async def test_paused_members_are_left_out_of_rounds(
    say: Say, messenger: RecordingMessenger
) -> None:
    await circle(say)
    await say("eli", "/pause 1w")
    assert (await say("morgan", "/round run maths")).ok
    assert messenger.texts_to("eli") == []
    assert all(any("you are with" in t for t in messenger.texts_to(n)) for n in STUDENTS[:4])


async def test_a_weekly_round_runs_once_at_its_time_even_if_ticked_twice(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    assert (await say("morgan", "/circle set maths cadence weekly")).ok
    assert (await say("morgan", "/circle set maths day wed")).ok
    assert (await say("morgan", "/circle set maths time 09:00")).ok
    await app.due.run_due()
    assert messenger.sent == []
    clock.advance(timedelta(hours=23, minutes=5))  # Wednesday 09:05 UTC
    await app.due.run_due()
    await app.due.run_due()
    pairs_told = sum("you are with" in t for n in STUDENTS for t in messenger.texts_to(n))
    assert pairs_told == 4
    assert len(messenger.texts_to("#maths")) == 1
    clock.advance(timedelta(days=7))
    await app.due.run_due()
    assert len(messenger.texts_to("#maths")) == 2


async def test_a_schedule_set_after_this_weeks_moment_starts_at_its_next_one(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Tuesday 10:00 UTC: Tuesdays at 09:00 is set an hour after this week's moment, so the
    first round is next Tuesday's; /round run is how to pair people now."""
    await circle(say)
    for setting in ("cadence weekly", "day tue"):
        assert (await say("morgan", f"/circle set maths {setting}")).ok
    timed = await say("morgan", "/circle set maths time 09:00")
    assert timed.text.endswith(
        "The first round on this schedule: Tue 10 Mar, 09:00 your time; "
        "/round run maths pairs people now."
    )
    await app.due.run_due()
    clock.advance(timedelta(hours=12))
    await app.due.run_due()
    assert messenger.sent == []
    assert (await say("morgan", "/round run maths")).ok
    assert len(messenger.texts_to("#maths")) == 1
    clock.advance(timedelta(days=6, hours=11))  # Tuesday 09:00 next week
    await app.due.run_due()
    assert len(messenger.texts_to("#maths")) == 2


async def test_a_changed_schedule_runs_at_its_next_moment_even_later_the_same_day(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """A monthly round (first Monday, already past) becomes weekly on Tuesdays at 09:00, an hour
    ago: nothing at once; moved to 11:00, it runs at 11:00 today."""
    await circle(say)
    assert (await say("morgan", "/circle set maths cadence monthly")).ok
    await app.due.run_due()
    assert (await say("morgan", "/circle set maths cadence weekly")).ok
    assert (await say("morgan", "/circle set maths day tue")).ok
    await app.due.run_due()
    assert messenger.sent == []
    assert (await say("morgan", "/circle set maths time 11:00")).ok
    clock.advance(timedelta(minutes=59))
    await app.due.run_due()
    assert messenger.sent == []
    clock.advance(timedelta(minutes=2))
    await app.due.run_due()
    assert len(messenger.texts_to("#maths")) == 1


async def test_an_archived_circle_has_no_rounds(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await circle(say)
    for setting in ("cadence weekly", "day wed", "time 09:00"):
        assert (await say("morgan", f"/circle set maths {setting}")).ok
    assert (await say("morgan", "/circle archive maths")).ok
    for line in ("/round run maths", "/round preview maths"):
        refused = await say("morgan", line)
        assert not refused.ok
        assert refused.text == "maths is archived; archived circles have no rounds."
    messenger.sent.clear()
    clock.advance(timedelta(hours=23, minutes=5))  # Wednesday 09:05 UTC, when it would run
    await app.due.run_due()
    assert messenger.sent == []

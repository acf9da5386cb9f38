"""What an introduction says at the start of a pairing: each partner's bio where they wrote one,
one conversation starter from what the two share, and a new mentor's tips (with their first
introduction as a mentor and their first check-in prompt, once each)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from bot.kernel.pairing_start import GENERAL_STARTERS
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring

STARTER = "To start the conversation: "
PAIRING_TIPS = "Tips for your first mentee"
CHECKIN_TIPS = "Tips for your first check-in"


async def pair(say: Say, first: str, second: str) -> None:
    assert "queue" in (await say(first, "/findbuddy")).text
    assert (await say(second, "/findbuddy")).ok


def introduction(messenger: RecordingMessenger, name: str) -> str:
    [text] = [t for t in messenger.texts_to(name) if "study buddy" in t]
    return text


def starter_of(text: str) -> str:
    [line] = [line for line in text.splitlines() if line.startswith(STARTER)]
    return line


async def test_a_partner_s_bio_is_shown_only_where_they_wrote_one(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("ada", "/profile set bio I love puzzles and @everyone's cats")).ok
    await pair(say, "ada", "ben")
    to_ben = introduction(messenger, "ben")
    assert "Ada in their own words: I love puzzles and @\u200beveryone's cats" in to_ben
    assert "in their own words" not in introduction(messenger, "ada")


async def test_the_starter_comes_from_a_shared_subject_and_is_the_same_for_both(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("ada", "/profile set subjects algebra, physics")).ok
    assert (await say("ben", "/profile set subjects Physics")).ok
    await pair(say, "ada", "ben")
    line = starter_of(introduction(messenger, "ada"))
    assert "physics" in line
    assert starter_of(introduction(messenger, "ben")) == line


async def test_without_a_shared_subject_the_starter_comes_from_a_shared_language(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("ada", "/profile set subjects algebra")).ok
    assert (await say("ada", "/profile set languages english, french")).ok
    assert (await say("ben", "/profile set languages French")).ok
    await pair(say, "ada", "ben")
    assert "You both speak french" in starter_of(introduction(messenger, "ada"))


async def test_with_only_a_stage_in_common_the_starter_comes_from_it(
    say: Say, messenger: RecordingMessenger
) -> None:
    for name in ("ada", "ben"):
        assert (await say(name, "/profile set stage 9")).ok
    await pair(say, "ada", "ben")
    assert "You are both at stage 9" in starter_of(introduction(messenger, "ben"))


async def test_with_nothing_in_common_the_starter_is_a_general_one(
    say: Say, messenger: RecordingMessenger
) -> None:
    await pair(say, "ada", "ben")
    line = starter_of(introduction(messenger, "ada"))
    assert line.removeprefix(STARTER) in GENERAL_STARTERS
    assert starter_of(introduction(messenger, "ben")) == line


async def test_a_new_mentor_s_first_introduction_as_a_mentor_has_tips_and_the_next_does_not(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("maya", "/profile set capacity 3")).ok
    await pair(say, "maya", "ada")
    assert PAIRING_TIPS in introduction(messenger, "maya")
    assert PAIRING_TIPS not in introduction(messenger, "ada")
    assert (await say("morgan", "/circle create mentoring")).ok
    assert (await say("maya", "/circle join mentoring as mentor")).ok
    assert (await say("ben", "/circle join mentoring")).ok
    assert (await say("morgan", "/round run mentoring")).ok
    [round_intro] = [t for t in messenger.texts_to("maya") if "New round in mentoring" in t]
    assert "Ben" in round_intro
    assert PAIRING_TIPS not in round_intro


async def test_a_mentor_s_first_check_in_prompt_has_tips_and_the_next_does_not(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    for monday in (9, 16):
        clock.current = datetime(2026, 3, monday, 9, tzinfo=UTC)
        await app.due.run_due()
        clock.advance(timedelta(hours=1))
        await app.due.run_due()
    prompts = [t for t in messenger.texts_to("maya") if "Time for your check-in" in t]
    assert len(prompts) == 2
    assert CHECKIN_TIPS in prompts[0]
    assert CHECKIN_TIPS not in prompts[1]

"""A concern is never lost: whatever its length, whatever state the member's check-in is in, and
however it is sent (/flag, /checkin concern, the check-in form), its words are stored whole and
reach every moderator, and the member is told so."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from adapters.discord.surface import OPTIONS
from bot.checkins.commands import AnswerCheckin
from bot.kernel.command_refs import as_typed
from bot.kernel.concerns import WINDOW
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring
from tests.support.settings import START, settings_for
from tests.support.stored import rows

SENT_EVERY_WORD = "Your concern went privately to the moderators, every word"
PART = re.compile(r"^Concern from \w+.*, part (\d) of (\d):\n", re.S)


async def stored_flags(app: App) -> list[str]:
    return [r["text"] for r in await rows(app, "SELECT text FROM flags ORDER BY id")]


def words(count: int) -> str:
    """A long text whose every word is different, so a lost or repeated piece shows."""
    return " ".join(f"word{n}" for n in range(count))


def bodies(dms: list[str]) -> str:
    """The member's text as the moderator reads it across numbered parts, headings taken off."""
    parts = [PART.match(dm) for dm in dms]
    assert all(parts), dms
    assert [int(p.group(1)) for p in parts if p] == list(range(1, len(dms) + 1))
    return "".join(dm[p.end() :] for dm, p in zip(dms, parts, strict=True) if p)


@pytest.fixture
async def maya_prompted(app: App, say: Say, clock: ManualClock) -> Say:
    """Maya, a mentor in UTC, with Monday 9 March's check-in of `mentoring` open (3 questions)."""
    await mentoring(say, {"maya": "UTC"})
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()
    return say


async def as_form(app: App, name: str, answers: tuple[str, ...], checkin_id: int) -> str:
    """Submit the check-in form (Slack's modal, Discord's, the console's) as `name`; the reply
    as the console shows it."""
    command = AnswerCheckin(actor("w1", name.capitalize()), answers, True, checkin_id)
    reply = await app.bus.handle(command)
    await app.due.deliver()
    return as_typed(reply.text)


async def checkin_id(app: App) -> int:
    [row] = await rows(app, "SELECT id FROM checkins")
    return int(row["id"])


async def test_a_concern_typed_with_no_checkin_open_reaches_the_moderators(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    reply = await say("ada", "/checkin concern I feel unsafe")

    assert reply.ok
    assert reply.text.startswith(SENT_EVERY_WORD)
    assert "Your check-in itself is unchanged. You have no check-ins." in reply.text
    [dm] = messenger.texts_to("morgan")
    assert dm == "Concern from Ada (only moderators get this):\nI feel unsafe"
    assert await stored_flags(app) == ["I feel unsafe"]


async def test_a_long_flag_is_kept_whole_and_the_moderators_read_all_of_it_in_parts(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    long = words(400)  # about 3,300 characters: two DMs

    reply = await say("ada", f"/flag {long}")

    assert reply.text.startswith("Sent privately to the moderators")
    dms = messenger.texts_to("morgan")
    assert len(dms) == 2
    assert all(len(dm) <= 2000 for dm in dms), "Discord takes 2,000 characters"
    assert bodies(dms) == long
    assert await stored_flags(app) == [long]


async def test_a_flag_too_long_for_four_dms_is_shortened_in_them_saying_so_and_kept_whole(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    longest = words(3000)  # about 26,000 characters

    assert (await say("ada", f"/flag {longest}")).ok

    dms = messenger.texts_to("morgan")
    assert len(dms) == 4
    assert all(len(dm) <= 2000 for dm in dms)
    shown = bodies(dms)
    kept = f"The whole text, {len(longest):,} characters, is kept as concern #1."
    note = f"\n(Shortened here. {kept})"
    assert shown.endswith(note)
    assert longest.startswith(shown.removesuffix(note))
    assert await stored_flags(app) == [longest]


async def test_a_flag_of_a_word_or_two_is_sent_too(say: Say, messenger: RecordingMessenger) -> None:
    assert (await say("ada", "/flag ok")).ok
    assert (await say("ben", "/flag :(")).ok
    assert [dm.splitlines()[-1] for dm in messenger.texts_to("morgan")] == ["ok", ":("]


async def test_a_concern_on_a_checkin_that_closed_answered_still_reaches_the_moderators(
    app: App, maya_prompted: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    say = maya_prompted
    assert (await say("maya", "/checkin answer Fine | Yes | No")).ok
    clock.current = datetime(2026, 3, 13, 9, tzinfo=UTC)  # the window closed on Thursday

    typed = await say("maya", "/checkin concern A mentee told me something worrying")
    clock.advance(WINDOW)  # a concern of its own, not one gathered with the first
    # A form opened before the window closed and sent after it.
    form = await as_form(app, "maya", ("", "", "And now they have left"), await checkin_id(app))

    assert typed.text.startswith(SENT_EVERY_WORD)
    assert "Nothing is open to answer now" in typed.text
    assert form.startswith(SENT_EVERY_WORD)
    assert "it can no longer be changed" in form
    dms = [t for t in messenger.texts_to("morgan") if t.startswith("Concern from Maya")]
    assert [dm.splitlines()[-1] for dm in dms] == [
        "A mentee told me something worrying",
        "And now they have left",
    ]
    assert await stored_flags(app) == [
        "A mentee told me something worrying",
        "And now they have left",
    ]


async def test_a_concern_with_more_answers_than_questions_is_sent_with_every_one(
    app: App, maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    reply = await maya_prompted("maya", "/checkin concern Bad | week | he said | stop telling")

    assert reply.text.startswith(SENT_EVERY_WORD)
    assert "3 questions but you gave 4 answers" in reply.text
    [dm] = [t for t in messenger.texts_to("morgan") if t.startswith("Concern from Maya")]
    assert dm.endswith("\nBad\nweek\nhe said\nstop telling")
    status = (await maya_prompted("morgan", "/checkin status mentoring")).text
    assert "Not answered yet: 1: Maya" in status, "the check-in itself is unchanged"


async def test_a_concern_in_the_form_with_an_answer_over_the_limit_is_sent_whole(
    app: App, maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    # Slack's form takes 3,000 characters an answer; a check-in keeps at most 1,000.
    long = words(200)  # about 1,500 characters

    reply = await as_form(app, "maya", ("Hard", "No", long), await checkin_id(app))

    assert reply.startswith(SENT_EVERY_WORD)
    assert "Each answer can be at most 1000 characters" in reply
    [dm] = [t for t in messenger.texts_to("morgan") if t.startswith("Concern from Maya")]
    assert dm.endswith(f"\nHard\nNo\n{long}")
    assert await stored_flags(app) == [f"Hard\nNo\n{long}"]


async def test_a_concern_from_a_form_that_went_out_of_date_is_sent(
    app: App, maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    stale = await checkin_id(app) + 1  # a check-in that is not (or no longer) hers to answer

    reply = await as_form(app, "maya", ("", "", "Please call me"), stale)

    assert reply.startswith(SENT_EVERY_WORD)
    assert "no longer open to you" in reply
    assert any(t.endswith("\nPlease call me") for t in messenger.texts_to("morgan"))


async def test_a_form_marked_as_a_concern_with_no_words_still_tells_the_moderators(
    app: App, maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    reply = await as_form(app, "maya", ("", "", ""), await checkin_id(app))

    assert "moderators are told privately that you marked your check-in as a concern" in reply
    assert "/flag <what worries you> tells them more" in reply
    [dm] = [t for t in messenger.texts_to("morgan") if t.startswith("Concern from Maya")]
    assert "marked it as a concern but wrote nothing" in dm


async def test_a_concern_with_two_checkins_open_is_sent_and_says_which_to_answer(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("morgan", "/circle create tutors")).ok
    for key, value in {"cadence": "weekly", "day": "mon", "time": "09:00"}.items():
        assert (await say("morgan", f"/circle set tutors {key} {value}")).ok
    assert (await say("maya", "/circle join tutors as mentor")).ok
    clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC)
    await app.due.run_due()

    reply = await say("maya", "/checkin concern Someone is bullying a mentee")

    assert reply.text.startswith(SENT_EVERY_WORD)
    assert "Say which" in reply.text
    assert any(t.endswith("\nSomeone is bullying a mentee") for t in messenger.texts_to("morgan"))


async def test_an_answer_the_checkin_cannot_take_is_still_refused_when_not_a_concern(
    app: App, maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    reply = await maya_prompted("maya", "/checkin answer a | b | c | d")

    assert not reply.ok
    assert await stored_flags(app) == []
    assert not any(t.startswith("Concern") for t in messenger.texts_to("morgan"))


async def test_a_checkin_concern_shows_every_word_of_each_long_answer_under_its_question(
    maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    answers = [words(120), words(125), words(130)]  # about 900 characters each

    reply = await maya_prompted("maya", f"/checkin concern {' | '.join(answers)}")

    assert "Your concern went privately to the moderators." in reply.text
    dms = [t for t in messenger.texts_to("morgan") if t.startswith("Concern from Maya")]
    assert dms[0].startswith("Concern from Maya in mentoring (only moderators get this), part 1")
    shown = bodies(dms)
    for question, answer in zip(
        ("How is it going?", "Did you meet your mentees?", "Anything the moderators should know?"),
        answers,
        strict=True,
    ):
        assert f"{question}\n> {answer}" in shown


@pytest.fixture
async def school(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[App]:
    """The real bootstrap with three moderators: Morgan, Nia and Omar."""
    moderators = ["console:morgan", "console:nia", "console:omar"]
    settings = settings_for("sqlite+aiosqlite://", moderators=moderators)
    application = await bootstrap(settings, clock, {"console": messenger})
    yield application
    await application.close()


async def test_three_hundred_flags_in_three_seconds_reach_each_moderator_in_a_few_dms_each(
    school: App, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    async def say(name: str, line: str) -> str:
        reply = await school.bus.handle_text(line, actor("w1", name.capitalize()))
        await school.due.deliver()
        return reply.text

    replies = []
    for n in range(300):
        replies.append(await say("ada", f"/flag worry number {n}."))
        clock.advance(timedelta(milliseconds=10))
        if n == 150:
            assert (await say("ben", "/flag Ada is being pushed around")).startswith("Sent")
    moderators = ("morgan", "nia", "omar")
    # So far each moderator has Ada's first concern, and Ben's: nothing buried his.
    for name in moderators:
        assert [dm.splitlines()[-1] for dm in messenger.texts_to(name)] == [
            "worry number 0.",
            "Ada is being pushed around",
        ]
    assert replies[0].startswith("Sent privately to the moderators; nobody else sees it.")
    assert all("with your last few messages" in r for r in replies[1:])

    start = clock.now()
    while clock.now() < start + 10 * WINDOW:  # the scheduler's ticks
        clock.advance(timedelta(seconds=30))
        await school.due.run_due()

    assert len(await stored_flags(school)) == 301
    for name in moderators:
        entries = [e for e in messenger.sent if e.destination.target == name]
        windows = Counter(e.next_attempt_at - (e.next_attempt_at - START) % WINDOW for e in entries)
        assert max(windows.values()) <= 2, "at most two DMs a window from one member's concerns"
        assert len(entries) <= 9, [len(e.text) for e in entries]  # before: 300 each
        everything = "\n".join(e.text for e in entries)
        shown = re.findall(r"worry number (\d+)\.", everything)
        assert sorted(map(int, shown)) == list(range(300)), "each of them, once"


async def test_erasing_a_member_drops_their_gathered_concerns_still_waiting_like_the_others(
    app: App, say: Say
) -> None:
    assert (await say("ada", "/flag first worry")).ok
    assert (await say("ada", "/flag second worry")).ok  # gathered, due when the window ends

    assert (await say("ada", "/privacy delete confirm")).ok

    waiting = await rows(app, "SELECT key FROM outbox WHERE status = 'pending'")
    assert not [r["key"] for r in waiting if r["key"].startswith("concern:")]


def test_discord_lets_a_concern_be_as_long_as_it_allows_any_text() -> None:
    # Discord's client refuses to send an option longer than its max_length (at most 6,000).
    [flag_text] = OPTIONS["flag"]
    [concern_answers] = OPTIONS["checkin concern"]
    assert flag_text.max_length == concern_answers.max_length == 6000


async def test_the_same_concern_sent_twice_goes_once_and_the_second_reply_says_it_went(
    maya_prompted: Say, messenger: RecordingMessenger
) -> None:
    line = "/checkin concern Hard week | No | A mentee seems low"
    assert "went privately to the moderators" in (await maya_prompted("maya", line)).text

    again = await maya_prompted("maya", line)

    assert "already went privately to the moderators as a concern" in again.text
    assert len([t for t in messenger.texts_to("morgan") if t.startswith("Concern")]) == 1


async def test_a_long_concern_gathered_after_another_shows_its_start_and_says_it_is_kept(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    long = words(400)
    assert (await say("ada", "/flag a first worry")).ok
    reply = await say("ada", f"/flag {long}")
    assert "they get it within two minutes" in reply.text
    assert len(messenger.texts_to("morgan")) == 1

    clock.advance(WINDOW)
    await app.due.run_due()

    [_, gathered] = messenger.texts_to("morgan")
    assert gathered.startswith("More from Ada (only moderators get this)")
    assert f": {long[:1000]}\n(Shortened here. The whole text, {len(long):,} characters" in gathered
    assert "is kept as concern #2.)" in gathered
    assert await stored_flags(app) == ["a first worry", long]

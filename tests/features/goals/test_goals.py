"""Goals as members, mentors, buddies and moderators meet them: set in a line or a form, numbered
for progress and done, seen by the member, their mentor and buddies (and their circles when
shared), counted but never read by moderators, asked about once when their day comes, and
named in the weekly check-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from bot.goals.form import GOAL_FORM
from bot.goals.rules import MAX_OPEN
from bot.kernel.forms import Submission, submitted_command
from bot.kernel.model import Actor, MemberRef
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring, speaker
from tests.support.settings import settings_for

ADA = Actor(MemberRef("console", "w1", "ada"), "Ada")
PROMPT = "Time for your check-in in the mentoring circle"


async def run_until(app: App, clock: ManualClock, until: datetime, step: timedelta) -> None:
    while clock.now() + step <= until:
        clock.advance(step)
        await app.due.run_due()


async def buddies(say: Say) -> None:
    """Ada and Ben paired on demand (peers); Cleo and Morgan not paired with them."""
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert (await say("ben", "/findbuddy")).ok


async def test_a_goal_is_set_numbered_noted_and_reached_once_as_a_milestone(
    say: Say, messenger: RecordingMessenger
) -> None:
    set_ = await say("ada", "/goal add Finish the fractions worksheet by 2026-03-20")
    assert set_.ok, set_.text
    assert "1. Finish the fractions worksheet (by Fri 20 Mar)" in set_.text
    assert (await say("ada", "/goal add Read two chapters of the novel")).ok
    listed = (await say("ada", "/goal list")).text
    assert "1. Finish the fractions worksheet (by Fri 20 Mar)" in listed
    assert "2. Read two chapters of the novel" in listed
    assert "Noted on goal 2" in (await say("ada", "/goal progress 2 halfway through")).text
    assert "latest: halfway through" in (await say("ada", "/goal list")).text
    done = await say("ada", "/goal done 1")
    assert "Reached: Finish the fractions worksheet" in done.text
    assert "/kudos @person <reason>" in done.text
    assert "1. Read two chapters" in (await say("ada", "/goal list")).text
    assert "Reached so far: 1" in (await say("ada", "/goal list")).text
    assert (await say("ada", "/goal add Learn the nine times table")).ok
    assert (await say("ada", "/goal done 1")).ok
    milestones = [t for t in messenger.texts_to("ada") if "first goal reached" in t]
    assert len(milestones) == 1


async def test_reaching_a_goal_suggests_thanking_the_mentor_with_kudos(
    app: App, say: Say, clock: ManualClock
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("ada", "/circle join mentoring")).ok
    assert (await say("ada", "/goal add Practise algebra every day")).ok
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 9, 10, tzinfo=UTC), timedelta(hours=1))
    done = await say("ada", "/goal done 1")
    assert "Did Maya help? Thank them: /kudos @maya <what they did>" in done.text


async def test_dropping_a_goal_renumbers_the_rest(say: Say) -> None:
    for goal in ("Run a 5k by myself", "Write a short story", "Learn ten new words"):
        assert (await say("ada", f"/goal add {goal}")).ok
    assert "Let go of goal 2: Write a short story" in (await say("ada", "/goal drop 2")).text
    listed = (await say("ada", "/goal list")).text
    assert "1. Run a 5k by myself\n2. Learn ten new words" in listed
    assert (await say("ada", "/goal add Score 7.5 in the test")).ok
    assert (await say("ada", "/goal add Score 7.5")).ok
    assert "4. Score 7.5\n" in (await say("ada", "/goal list")).text + "\n"


async def test_goal_add_with_no_words_opens_a_form_that_sets_the_same_goal(
    app: App, say: Say
) -> None:
    reply = await say("ada", "/goal add")
    assert reply.form is not None
    assert reply.form.kind == GOAL_FORM
    submission = Submission(GOAL_FORM, None, {"goal": "Tidy my notes", "date": "2026-03-10"})
    saved = await app.bus.handle(submitted_command(ADA, submission))
    assert saved.ok, saved.text
    assert "1. Tidy my notes (by Tue 10 Mar)" in (await say("ada", "/goal list")).text
    empty = await app.bus.handle(submitted_command(ADA, Submission(GOAL_FORM, None, {})))
    assert not empty.ok
    assert empty.form is None
    assert "A goal is 3 to 200 characters" in empty.text


async def test_bad_goals_get_clear_answers_and_change_nothing(say: Say) -> None:
    for goal in ("Read a book", "Learn to juggle", "Tidy my room"):
        assert (await say("ada", f"/goal add {goal}")).ok
    before = (await say("ada", "/goal list")).text
    for line, says in (
        ("/goal add " + "x" * 1000, "A goal is 3 to 200 characters (this one is 1000)"),
        ("/goal add ok", "A goal is 3 to 200 characters"),
        ("/goal add Finish the essay by 2026-03-02", "2026-03-02 has passed"),
        ("/goal add Finish the essay by 2026-13-45", "'2026-13-45' is not a date I can read"),
        ("/goal add Finish the essay by friday", "'friday' is not a date I can read"),
        ("/goal add Finish the essay by 20/3", "'20/3' is not a date I can read"),
        ("/goal add Finish the essay by 2030-01-01", "at most a year ahead"),
        ("/goal done 9", "You have 3 open goals, numbered 1 to 3; there is no goal 9"),
        ("/goal done two", "there is no goal two"),
        ("/goal done g999", "That goal is no longer open"),
        ("/goal progress 1", "Say how it is going after the goal's number"),
        ("/goal progress 7 going well", "there is no goal 7"),
        ("/goal drop", "Missing the goal's number"),
        ("/goal share maybe", "not one of: on, off"),
    ):
        reply = await say("ada", line)
        assert not reply.ok, line
        assert says in reply.text, (line, reply.text)
    assert (await say("ada", "/goal list")).text == before
    assert "You have no open goals" in (await say("ben", "/goal done 1")).text


async def test_a_sixth_open_goal_is_refused(say: Say) -> None:
    for n in range(MAX_OPEN):
        assert (await say("ada", f"/goal add Goal number {n + 1}")).ok
    sixth = await say("ada", "/goal add One goal too many")
    assert not sixth.ok
    assert "You have 5 open goals, the most at once" in sixth.text
    assert "One goal too many" not in (await say("ada", "/goal list")).text
    assert (await say("ada", "/goal done 1")).ok
    assert (await say("ada", "/goal add One goal too many")).ok


async def test_buddies_read_each_others_goals_and_nobody_else_does(say: Say) -> None:
    assert (await say("ada", "/goal add Finish the fractions worksheet")).ok
    assert (await say("cleo", "/profile")).ok
    assert (await say("morgan", "/profile")).ok
    await buddies(say)
    assert "Finish the fractions worksheet" in (await say("ben", "/goal list @ada")).text
    refusal = "You can't see @ada's goals"
    for outsider in ("cleo", "morgan"):
        reply = await say(outsider, "/goal list @ada")
        assert not reply.ok
        assert refusal in reply.text
        assert "Finish" not in reply.text
    # The same words whether there are goals or not, or anybody at all.
    assert "You can't see @ben's goals" in (await say("cleo", "/goal list @ben")).text
    assert "You can't see @nobody's goals" in (await say("cleo", "/goal list @nobody")).text


async def test_a_former_buddy_can_no_longer_read_the_goals(say: Say) -> None:
    assert (await say("ada", "/goal add Finish the fractions worksheet")).ok
    await buddies(say)
    assert (await say("ben", "/goal list @ada")).ok
    assert (await say("ada", "/buddy end @ben")).ok
    reply = await say("ben", "/goal list @ada")
    assert not reply.ok
    assert "Finish" not in reply.text


async def test_a_circle_sees_the_goals_only_while_the_member_shares_them(say: Say) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    for name in ("ada", "cleo"):
        assert (await say(name, "/circle join algebra")).ok
    assert (await say("ada", "/goal add Finish the fractions worksheet")).ok
    assert (await say("ada", "/goal progress 1 had a hard week")).ok
    assert not (await say("cleo", "/goal list @ada")).ok
    assert (await say("ada", "/goal share on")).ok
    shared = (await say("cleo", "/goal list @ada")).text
    assert "Finish the fractions" in shared
    assert "hard week" not in shared  # the notes stay with her, her mentor and buddies
    assert not (await say("ben", "/goal list @ada")).ok  # not in her circle
    assert (await say("ada", "/goal share off")).ok
    assert not (await say("cleo", "/goal list @ada")).ok


async def test_moderators_see_counts_never_words(say: Say) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("ada", "/circle join algebra")).ok
    assert (await say("ada", "/goal add Finish the fractions worksheet")).ok
    assert (await say("ada", "/goal add Read two chapters")).ok
    assert (await say("ada", "/goal done 2")).ok
    for line in ("/goal counts", "/goal counts algebra"):
        counts = await say("morgan", line)
        assert "Ada: 1 open, 1 reached" in counts.text, counts.text
        assert "Altogether: 1 open, 1 reached." in counts.text
        assert "fractions" not in counts.text
        assert "chapters" not in counts.text
    audit = (await say("morgan", "/audit")).text
    assert "· Morgan · goal.counts in algebra · members: 1" in audit, audit
    assert not (await say("morgan", "/goal list @ada")).ok
    refused = await say("ada", "/goal counts")
    assert not refused.ok
    assert "Only moderators" in refused.text
    listed = (await say("ada", "/help goal")).text
    assert "/goal counts [circle]: how many goals" in listed
    assert listed.endswith("never their words (for moderators)")
    assert "/goal counts [circle] (for moderators)" in (await say("ada", "/goal")).text


async def test_the_owner_is_asked_once_when_the_day_comes_outside_quiet_hours(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("ada", "/profile set quiet-hours 17:00-08:00")).ok
    assert (await say("ada", "/goal add Finish the fractions worksheet by 2026-03-05")).ok
    # Asked at 18:00 on the day, her time: inside her quiet hours, so held until 08:00.
    await run_until(app, clock, datetime(2026, 3, 6, 7, tzinfo=UTC), timedelta(hours=1))
    assert not [e for e in messenger.sent if "Your goal's day has come" in e.text]
    await run_until(app, clock, datetime(2026, 3, 6, 12, tzinfo=UTC), timedelta(hours=1))
    asked = [e for e in messenger.sent if "Your goal's day has come" in e.text]
    assert len(asked) == 1
    [entry] = asked
    assert entry.destination.target == "ada"
    assert "1. Finish the fractions worksheet (by Thu 5 Mar)" in entry.text
    assert [a.label for a in entry.actions] == ["Reached it", "Not yet", "Drop it"]
    reached = await say("ada", entry.actions[0].command)
    assert "Reached: Finish the fractions worksheet" in reached.text
    await run_until(app, clock, datetime(2026, 3, 8, tzinfo=UTC), timedelta(hours=6))
    assert len([e for e in messenger.sent if "Your goal's day has come" in e.text]) == 1


async def test_the_not_yet_button_notes_progress_and_keeps_the_goal(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("ada", "/goal add Finish the fractions worksheet by 2026-03-03")).ok
    await run_until(app, clock, datetime(2026, 3, 3, 19, tzinfo=UTC), timedelta(hours=1))
    [entry] = [e for e in messenger.sent if "Your goal's day has come" in e.text]
    assert (await say("ada", entry.actions[1].command)).ok
    assert "latest: Not reached yet; still going." in (await say("ada", "/goal list")).text
    assert (await say("ada", entry.actions[2].command)).ok
    assert "none" in (await say("ada", "/goal list")).text


async def test_the_check_in_asks_mentor_and_mentee_about_goals_and_notes_answers(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"}, **{"checkin-audience": "everyone"})
    assert (await say("ada", "/circle join mentoring")).ok
    assert (await say("ada", "/goal add Practise algebra every day")).ok
    assert (await say("ada", "/goal add Read two chapters")).ok
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 9, 10, tzinfo=UTC), timedelta(hours=1))
    [maya] = [t for t in messenger.texts_to("maya") if PROMPT in t]
    assert "Your mentees' goals" in maya
    assert "Ada: 1. Practise algebra every day; 2. Read two chapters" in maya
    [ada] = [t for t in messenger.texts_to("ada") if PROMPT in t]
    assert "Your goals: how are they going?\n1. Practise algebra every day" in ada
    answered = await say("ada", "/checkin answer goal 2: read the first one | yes | no")
    assert answered.ok, answered.text
    assert "Noted progress on goal 2." in answered.text
    listed = (await say("ada", "/goal list")).text
    assert "latest: read the first one" in listed
    assert listed.count("latest:") == 1  # nothing else of the answer became a note
    assert "Practise algebra" in (await say("maya", "/goal list @ada")).text
    # The moderators read check-in answers, never a goal's words.
    seen = (await say("morgan", "/checkin answers mentoring")).text
    assert "read the first one" not in seen, seen
    assert "(progress on goal 2: kept with the goal)" in seen, seen


async def test_a_check_in_line_naming_a_goal_one_does_not_have_notes_nothing(
    app: App, say: Say, clock: ManualClock
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("maya", "/goal add Plan the spring sessions")).ok
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 9, 10, tzinfo=UTC), timedelta(hours=1))
    answered = await say("maya", "/checkin answer goal 4: done | yes | no")
    assert "You have no open goal 4, so nothing was noted" in answered.text
    assert "latest" not in (await say("maya", "/goal list")).text
    assert "goal 4: done" in (await say("morgan", "/checkin answers mentoring")).text


async def test_goals_are_exported_erased_and_their_notes_purged(
    clock: ManualClock, messenger: RecordingMessenger
) -> None:
    app = await bootstrap(
        settings_for(
            "sqlite+aiosqlite://", moderators=["console:morgan"], privacy={"retention_days": 30}
        ),
        clock,
        {"console": messenger},
    )
    try:
        say = speaker(app)
        assert (await say("ada", "/goal add Finish the fractions worksheet by 2026-03-20")).ok
        assert (await say("ada", "/goal progress 1 an old note")).ok
        clock.advance(timedelta(days=40))
        assert (await say("ada", "/goal progress 1 a new note")).ok
        assert (await say("ada", "/goal share on")).ok
        await app.due.run_due()
        [file] = (await say("ada", "/privacy export")).files
        [goal] = json.loads(file.content.decode("utf-8"))["goals"]
        assert goal["goal"] == "Finish the fractions worksheet"
        assert goal["by"] == "2026-03-20"
        assert [n["note"] for n in goal["progress_notes"]] == ["", "a new note"]
        assert "latest: a new note" in (await say("ada", "/goal list")).text

        assert (await say("ada", "/privacy delete confirm")).ok
        async with app.engine.connect() as connection:
            for table in ("goals", "goal_notes", "goal_sharing"):
                count = await connection.scalar(text(f"SELECT count(*) FROM {table}"))
                assert count == 0, table
    finally:
        await app.close()


async def test_erasing_a_mentee_takes_their_goals_out_of_the_mentors_prompt(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("ada", "/circle join mentoring")).ok
    assert (await say("ada", "/goal add Practise algebra every day")).ok
    clock.current = datetime(2026, 3, 9, tzinfo=UTC)
    await run_until(app, clock, datetime(2026, 3, 9, 10, tzinfo=UTC), timedelta(hours=1))
    [prompt] = [e for e in await app.outbox.entries() if PROMPT in e.text]
    assert "Ada: 1. Practise algebra every day" in prompt.text
    assert (await say("ada", "/privacy delete confirm")).ok
    [prompt] = [e for e in await app.outbox.entries() if PROMPT in e.text]
    assert "Practise algebra" not in prompt.text
    assert "Ada" not in prompt.text

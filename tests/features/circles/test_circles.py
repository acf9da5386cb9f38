"""Circles as members and moderators use them: rules of who may see, join, leave and manage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.circles.commands import SuggestCircles
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring


async def test_a_moderator_creates_a_circle_that_everyone_then_sees(say: Say) -> None:
    reply = await say("morgan", "/circle create algebra Algebra for years 9-10")
    assert reply.ok, reply.text
    listing = await say("ada", "/circle list")
    assert "algebra: Algebra for years 9-10, 0 members" in listing.text


async def test_a_student_cannot_create_a_circle(say: Say) -> None:
    reply = await say("ada", "/circle create algebra")
    assert not reply.ok
    assert "Only moderators" in reply.text
    assert "no circles" in (await say("ada", "/circle list")).text


async def test_circle_names_are_unique_whatever_their_case(say: Say) -> None:
    assert (await say("morgan", "/circle create Algebra")).ok
    reply = await say("morgan", "/circle create algebra")
    assert not reply.ok
    assert "already a circle called algebra" in reply.text


async def test_a_bad_circle_name_is_refused_with_the_rule(say: Say) -> None:
    for bad in ("alg/ebra", "x" * 41, "ünïcode"):
        reply = await say("morgan", f"/circle create {bad}")
        assert not reply.ok
        assert "letters, digits, - or _" in reply.text
    assert "no circles" in (await say("morgan", "/circle list")).text


async def test_joining_uses_the_profile_role_and_shows_in_the_circle(
    circle_with_people: Say,
) -> None:
    say = circle_with_people
    assert (await say("ben", "/circle join algebra")).ok
    info = (await say("ben", "/circle info algebra")).text
    assert "Mentees: Ada, Ben" in info
    assert "Mentors: Maya" in info
    assert "Facilitators: Maya" in info


async def test_my_circles_show_my_part_in_each_and_only_mine(circle_with_people: Say) -> None:
    say = circle_with_people
    assert (await say("morgan", "/circle create chess")).ok
    assert (await say("morgan", "/circle create drama")).ok
    assert (await say("maya", "/circle join chess")).ok
    assert (await say("morgan", "/circle archive chess")).ok
    mine = (await say("maya", "/circle mine")).text.splitlines()
    assert mine[0] == "Your circles:"
    assert mine[1].startswith("  algebra: facilitator and mentor; no regular rounds")
    assert mine[2].startswith("  chess (archived): mentor;")
    assert "drama" not in "\n".join(mine)
    assert "algebra: mentee;" in (await say("ada", "/circle mine")).text
    nothing = await say("ben", "/circle mine")
    assert nothing.ok
    assert nothing.text.startswith("You are in no circle yet. /circle list")


async def test_joining_twice_says_so(circle_with_people: Say) -> None:
    reply = await circle_with_people("ada", "/circle join algebra")
    assert not reply.ok
    assert "already in algebra" in reply.text


async def test_a_student_cannot_join_as_mentor(circle_with_people: Say) -> None:
    reply = await circle_with_people("ben", "/circle join algebra as mentor")
    assert not reply.ok
    assert "/profile set role mentor" in reply.text
    assert "Ben" not in (await circle_with_people("ada", "/circle info algebra")).text


async def test_a_private_circle_is_invisible_to_outsiders(circle_with_people: Say) -> None:
    say = circle_with_people
    assert (await say("maya", "/circle set algebra private on")).ok
    assert "algebra" not in (await say("ben", "/circle list")).text
    for line in ("/circle info algebra", "/circle join algebra"):
        reply = await say("ben", line)
        assert "There is no circle called 'algebra'" in reply.text
    assert "algebra" in (await say("ada", "/circle list")).text
    assert "algebra" in (await say("morgan", "/circle list")).text


async def test_a_facilitator_who_hands_over_leaves_the_circle_to_the_next(
    circle_with_people: Say,
) -> None:
    say = circle_with_people
    assert (await say("maya", "/circle add @ada algebra as facilitator")).ok
    left = await say("maya", "/circle leave algebra")
    assert left.text == "You have left algebra."
    info = (await say("ada", "/circle info algebra")).text
    assert "Facilitators: Ada" in info
    assert "Maya" not in info


async def test_the_last_facilitator_may_leave_and_the_moderators_run_the_circle(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    left = await say("maya", "/circle leave algebra")
    assert left.ok, left.text
    assert "algebra has no facilitator now, so the moderators run it; they are told." in left.text
    assert (
        "Facilitators: none (run by the moderators)"
        in (await say("ada", "/circle info algebra")).text
    )
    told = messenger.texts_to("morgan")
    assert any("Maya was the last facilitator of algebra" in t for t in told)
    assert "/circle add @someone algebra as facilitator" in told[-1]


async def test_a_new_circle_says_the_moderators_run_it(say: Say) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    info = (await say("ada", "/circle info algebra")).text
    assert "Facilitators: none (run by the moderators)" in info


async def test_a_moderator_removes_the_only_facilitator(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    removed = await say("morgan", "/circle remove @maya algebra")
    assert removed.ok, removed.text
    assert "the moderators run it. To hand it on: /circle add @someone algebra" in removed.text
    assert (
        "Facilitators: none (run by the moderators)"
        in (await say("ada", "/circle info algebra")).text
    )
    assert "no longer in algebra" in messenger.texts_to("maya")[-1]


async def test_a_moderator_joins_a_private_circle_and_adds_themselves_quietly(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    assert (await say("maya", "/circle set algebra private on")).ok
    joined = await say("morgan", "/circle join algebra")
    assert joined.ok, joined.text
    assert (await say("morgan", "/circle create chess")).ok
    assert (await say("morgan", "/circle set chess private on")).ok
    assert (await say("morgan", "/circle add @morgan chess as facilitator")).ok
    assert "Facilitators: Morgan" in (await say("morgan", "/circle info chess")).text
    assert not any("added you" in t for t in messenger.texts_to("morgan"))


async def test_nobody_is_sent_to_ask_a_moderator_about_an_archived_circle(
    circle_with_people: Say,
) -> None:
    say = circle_with_people
    assert (await say("morgan", "/circle archive algebra")).ok
    for name in ("morgan", "ben"):
        refused = await say(name, "/circle join algebra")
        assert not refused.ok
        assert "ask a moderator" not in refused.text.lower()
        assert "algebra is archived, so nobody can join it" in refused.text
    assert "Ben" not in (await say("morgan", "/circle info algebra")).text


async def test_a_moderator_taken_out_of_a_circle_is_not_told_to_ask_a_moderator(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    assert (await say("maya", "/circle add @morgan algebra")).ok
    assert (await say("maya", "/circle remove @morgan algebra")).ok
    assert (await say("maya", "/circle remove @ada algebra")).ok
    assert messenger.texts_to("morgan")[-1] == "You are no longer in algebra."
    assert "Questions? Ask a moderator." in messenger.texts_to("ada")[-1]


async def test_members_cannot_manage_but_facilitators_can(circle_with_people: Say) -> None:
    say = circle_with_people
    refused = await say("ada", "/circle add @ben algebra")
    assert "Only moderators and algebra's facilitators" in refused.text
    assert (await say("maya", "/circle add @ben algebra")).ok
    assert "Ben" in (await say("ada", "/circle info algebra")).text


async def test_people_added_or_removed_are_told_by_dm(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    assert (await say("morgan", "/circle add @ben algebra")).ok
    assert (await say("morgan", "/circle remove @ben algebra")).ok
    to_ben = messenger.texts_to("ben")
    assert len(to_ben) == 2
    assert "added you to algebra as mentee" in to_ben[0]
    assert "no longer in algebra" in to_ben[1]


async def test_adding_someone_unknown_changes_nothing(circle_with_people: Say) -> None:
    reply = await circle_with_people("morgan", "/circle add @zed algebra")
    assert not reply.ok
    assert "I don't know @zed" in reply.text


async def test_an_archived_circle_is_kept_but_closed(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    assert (await say("morgan", "/circle archive algebra")).ok
    assert "archived" in messenger.texts_to("#algebra")[0]
    assert "(archived)" in (await say("ben", "/circle info algebra")).text
    assert not (await say("ben", "/circle join algebra")).ok
    assert not (await say("maya", "/circle set algebra cadence weekly")).ok


async def test_settings_are_validated_and_shown_back(circle_with_people: Say) -> None:
    say = circle_with_people
    assert "day is now wed" in (await say("maya", "/circle set algebra day Wednesday")).text
    for line, expected in (
        ("/circle set algebra time 25:00", "not a time"),
        ("/circle set algebra day funday", "not a day"),
        ("/circle set algebra group-size 9", "from 2 to 8"),
        ("/circle set algebra cadence hourly", "weekly, biweekly, monthly, off"),
        ("/circle set algebra checkin-questions | |", "at least one question"),
        ("/circle set algebra colour blue", "I don't know the setting 'colour'"),
    ):
        reply = await say("maya", line)
        assert not reply.ok
        assert expected in reply.text
    assert (await say("maya", "/circle set algebra cadence weekly")).ok
    assert "weekly on wed at 09:00" in (await say("ada", "/circle info algebra")).text


async def test_a_new_schedule_owes_nothing_for_a_moment_already_past(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Tuesday 10:00 UTC: a weekly circle on Tuesdays at 09:00 (in London, 09:00 UTC) set now
    neither pairs anyone nor asks for a check-in until next Tuesday's 09:00."""
    await mentoring(say, {"maya": "Europe/London", "omar": "Europe/London"}, day="tue")
    assert (await say("morgan", "/circle set mentoring channel #mentoring")).ok
    assert (await say("ada", "/circle join mentoring")).ok
    assert (await say("ben", "/circle join mentoring")).ok
    for _ in range(23):
        clock.advance(timedelta(hours=1))
        await app.due.run_due()
    assert messenger.sent == []
    clock.advance(timedelta(days=6))  # Tuesday 09:00 next week
    await app.due.run_due()
    assert len(messenger.texts_to("#mentoring")) == 1
    assert any(
        "Time for your check-in in the mentoring circle" in t for t in messenger.texts_to("maya")
    )


async def test_unlisted_members_are_hidden_from_peers_not_moderators(
    circle_with_people: Say,
) -> None:
    say = circle_with_people
    assert (await say("ada", "/profile set listed off")).ok
    peer_view = (await say("maya", "/circle info algebra")).text
    assert "Ada" not in peer_view
    assert "1 more who keep themselves unlisted" in peer_view
    assert "Ada (unlisted)" in (await say("morgan", "/circle info algebra")).text


async def test_circles_are_scoped_to_their_workspace(app: App, say: Say) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    w2_morgan, w2_ada = actor("w2", "Morgan"), actor("w2", "Ada")
    assert "no circles" in (await app.bus.handle_text("/circle list", w2_morgan)).text
    assert (await app.bus.handle_text("/circle create algebra", w2_morgan)).ok
    assert (await app.bus.handle_text("/circle join algebra", w2_ada)).ok
    assert "algebra, 0 members" in (await say("ada", "/circle list")).text


async def test_a_circle_cannot_be_named_like_a_subcommand_a_button_would_run(say: Say) -> None:
    refused = await say("morgan", "/circle create skip")
    assert not refused.ok
    assert "command word" in refused.text
    assert (await say("morgan", "/circle create skipping")).ok


async def test_circle_suggestions_start_with_what_was_typed_and_hide_private_circles(
    app: App, say: Say
) -> None:
    for name in ("algebra", "linear-algebra", "biology", "secret-algebra"):
        assert (await say("morgan", f"/circle create {name}")).ok
    assert (await say("morgan", "/circle set secret-algebra private on")).ok
    assert (await say("morgan", "/circle archive biology")).ok

    async def suggested(name: str, typed: str) -> tuple[str, ...]:
        return (await app.bus.handle(SuggestCircles(actor("w1", name), typed))).choices

    assert await suggested("ada", "alg") == ("algebra", "linear-algebra")
    assert await suggested("morgan", "ALG") == ("algebra", "linear-algebra", "secret-algebra")
    assert await suggested("ada", "bio") == ()


async def test_a_name_typed_with_a_space_is_refused_with_a_one_word_name_never_split(
    say: Say,
) -> None:
    for line in ("/circle create Study Group!", "/circle create study group"):
        reply = await say("morgan", line)
        assert not reply.ok
        assert "/circle create study-group <topic>" in reply.text
    capitalised = await say("morgan", "/circle create Python Beginners welcome")
    assert "/circle create python-beginners-welcome <topic>" in capitalised.text
    assert "no circles" in (await say("morgan", "/circle list")).text


async def test_a_quoted_topic_is_always_the_topic(say: Say) -> None:
    refused = await say("morgan", "/circle create Study Group!")
    assert '/circle create Study "Group!"' in refused.text
    created = await say("morgan", '/circle create Study "Group!"')
    assert created.ok, created.text
    assert "Study: Group!, 0 members" in (await say("morgan", "/circle list")).text


async def test_a_capitalised_name_alone_keeps_its_case_and_is_found_in_any_case(
    say: Say,
) -> None:
    created = await say("morgan", "/circle create Study")
    assert created.text.startswith("Created Study.")
    assert (await say("ada", "/circle join study")).ok
    assert "Mentees: Ada" in (await say("ada", "/circle info STUDY")).text


async def test_a_lower_case_name_with_a_topic_is_created_and_the_topic_shown(say: Say) -> None:
    reply = await say("morgan", "/circle create chess Chess club for all years")
    assert reply.text.startswith("Created chess (topic: Chess club for all years).")


@pytest.mark.parametrize(
    "line",
    [
        "/circle info Study Group!",
        "/circle join study group",
        "/circle join study group as mentor",
        "/circle leave study group",
        "/circle archive study group",
        "/circle add @ada study group as facilitator",
        "/circle remove @ada study group",
        "/circle set study group day mon",
    ],
)
async def test_every_circle_command_suggests_a_one_word_name(
    circle_with_people: Say, line: str
) -> None:
    reply = await circle_with_people("morgan", line)
    assert not reply.ok
    assert "a name is one word" in reply.text
    assert "such as study-group" in reply.text


async def test_a_name_that_cannot_be_one_is_told_what_a_name_looks_like(say: Say) -> None:
    reply = await say("ada", "/circle info Algebra!")
    assert "such as algebra." in reply.text


async def test_a_role_without_as_is_still_told_to_write_as(circle_with_people: Say) -> None:
    reply = await circle_with_people("ben", "/circle join algebra mentee")
    assert "expected 'as <role>'" in reply.text


async def test_every_removal_is_told_even_when_ids_are_reused(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    for _ in range(2):
        assert (await say("morgan", "/circle add @ben algebra")).ok
        assert (await say("morgan", "/circle remove @ben algebra")).ok
    assert sum("no longer in algebra" in t for t in messenger.texts_to("ben")) == 2
    assert sum("added you to algebra" in t for t in messenger.texts_to("ben")) == 2

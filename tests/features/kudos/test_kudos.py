"""Kudos as moderators, mentors and members meet them: posted where the circle talks and sent to
the person, never naming someone who opted out, never gamed, revocable with an audit record, and
milestones recognised once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.replies import Reply
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import START, settings_for


async def algebra(say: Say) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("morgan", "/circle set algebra channel #algebra")).ok
    for name in ("ada", "ben", "maya"):
        assert (await say(name, "/circle join algebra")).ok


def posts(messenger: RecordingMessenger) -> list[str]:
    return [e.text for e in messenger.sent if e.destination.kind == "channel"]


async def test_kudos_are_posted_in_the_circle_and_sent_to_the_person_unable_to_ping(
    say: Say, messenger: RecordingMessenger
) -> None:
    await algebra(say)
    reply = await say(
        "morgan", "/kudos @maya Explained factorising so patiently @everyone #patience"
    )
    assert "posted in #algebra and sent to them" in reply.text
    [post] = posts(messenger)
    assert post.startswith("Kudos to Maya from Morgan: Explained factorising so patiently")
    assert "@everyone" not in post
    assert post.endswith("#patience")
    [dm] = messenger.texts_to("maya")[:1]
    assert "Morgan gave you kudos" in dm
    wall = (await say("ada", "/kudos wall algebra")).text
    assert "Morgan → Maya: Explained factorising" in wall


async def test_someone_who_turned_public_praise_off_is_named_nowhere_public(
    say: Say, messenger: RecordingMessenger
) -> None:
    await algebra(say)
    assert (await say("maya", "/profile set public-kudos off")).ok
    reply = await say("morgan", "/kudos @maya Always on time for sessions")
    assert "sent to them privately" in reply.text
    assert posts(messenger) == []
    assert any("Always on time" in t for t in messenger.texts_to("maya"))
    assert "Maya" not in (await say("ada", "/kudos wall")).text
    assert "Maya" not in (await say("morgan", "/kudos top all")).text


async def test_bad_kudos_get_clear_answers_and_post_nothing(
    say: Say, messenger: RecordingMessenger
) -> None:
    await algebra(say)
    messenger.sent.clear()
    for line, says in (
        ("/kudos", "Missing who the kudos are for"),
        ("/kudos maya great work", "not a mention"),
        ("/kudos @maya @ben great work", "One person per kudos"),
        ("/kudos @nobody great work", "I don't know @nobody"),
        ("/kudos @maya", "Say why in 3 to 300 characters"),
        ("/kudos @maya " + "x" * 10_000, "Say why in 3 to 300 characters"),
        ("/kudos @maya @everyone @here", "Say why in 3 to 300 characters"),
        ("/kudos @maya <!channel> <@&123>", "Say why in 3 to 300 characters"),
        ("/kudos @morgan great work", "Kudos are for someone else"),
        ("/kudos @maya great work #speed", "#patience #clarity #kindness"),
        ("/kudos top fortnight", "week, month, all"),
        ("/kudos revoke 99", "There is no kudos number 99"),
    ):
        reply = await say("morgan", line)
        assert not reply.ok, line
        assert says in reply.text, (line, reply.text)
    assert messenger.sent == []


async def test_only_moderators_give_by_default_and_a_double_click_posts_once(
    say: Say, messenger: RecordingMessenger
) -> None:
    await algebra(say)
    refused = await say("ada", "/kudos @maya thanks for the help")
    assert "Only moderators give kudos here" in refused.text
    first = await say("morgan", "/kudos @maya Great session on Tuesday")
    again = await say("morgan", "/kudos @maya Great session on Tuesday")
    assert first.ok
    assert "already given; nothing was posted again" in again.text
    assert len(posts(messenger)) == 1


async def test_revoking_takes_a_kudos_off_walls_and_counts_and_is_audited(
    app: App, say: Say, clock: ManualClock
) -> None:
    await algebra(say)
    assert (await say("morgan", "/kudos @maya Great session")).ok
    assert "1 received" in (await say("morgan", "/kudos top week")).text
    wall = (await say("morgan", "/kudos wall")).text
    assert "[1]" in wall
    assert not (await say("ada", "/kudos revoke 1")).ok
    assert "Revoked kudos 1" in (await say("morgan", "/kudos revoke 1 given by mistake")).text
    assert "No kudos" in (await say("morgan", "/kudos wall")).text
    assert "No kudos this week" in (await say("morgan", "/kudos top week")).text
    assert not (await say("morgan", "/kudos revoke 1")).ok
    async with SqlUnitOfWorkFactory(app.engine, clock)() as uow:
        [entry] = await uow.audit.recent(actor("w1", "Morgan").ref.workspace, 10)
    assert entry.action == "kudos.revoke"
    assert entry.actor_name == "Morgan"
    assert entry.detail == "given by mistake"


@pytest.fixture
async def everyone_gives(messenger: RecordingMessenger) -> AsyncIterator[Say]:
    settings = settings_for(
        "sqlite+aiosqlite://",
        moderators=["console:morgan"],
        kudos={"givers": "everyone", "allowance_per_week": 2, "public_leaderboard": True},
    )
    app = await bootstrap(settings, ManualClock(START), {"console": messenger})

    async def run(name: str, line: str) -> Reply:
        reply = await app.bus.handle_text(line, actor("w1", name.capitalize()))
        await app.due.deliver()
        return reply

    yield run
    await app.close()


async def test_members_give_within_a_weekly_allowance_once_a_day_each(
    everyone_gives: Say,
) -> None:
    say = everyone_gives
    await algebra(say)
    first = await say("ada", "/kudos @maya thanks for the help")
    assert "You have 1 left this week" in first.text
    same_day = await say("ada", "/kudos @maya and for the notes")
    assert "one a day each" in same_day.text
    assert "You have 0 left this week" in (await say("ada", "/kudos @ben good questions")).text
    spent = await say("ada", "/kudos @morgan runs a great club")
    assert "You have given all 2 kudos this week" in spent.text
    assert "Maya: 1 received" in (await say("ben", "/kudos top")).text


async def test_milestones_are_recognised_once(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await algebra(say)
    assert (await say("morgan", "/kudos @maya Great session")).ok
    assert (await say("morgan", "/kudos @maya Another great session")).ok
    firsts = [t for t in messenger.texts_to("maya") if "your first kudos" in t]
    assert len(firsts) == 1
    for _ in range(5):
        assert (await say("ada", "/findbuddy")).ok
        assert (await say("ben", "/findbuddy")).ok
        assert (await say("ada", "/buddy met @ben")).ok
        assert (await say("ada", "/buddy end @ben")).ok
    assert len([t for t in messenger.texts_to("ada") if "five meetings held" in t]) == 1
    assert [t for t in messenger.texts_to("ben") if "five meetings held" in t] == []


async def test_the_tenth_check_in_answered_is_a_milestone_once(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/circle create mentoring")).ok
    assert (await say("morgan", "/circle set mentoring cadence weekly")).ok
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("maya", "/circle join mentoring as mentor")).ok
    for week in range(11):
        clock.current = datetime(2026, 3, 9, 9, tzinfo=UTC) + timedelta(weeks=week)
        await app.due.run_due()
        assert (await say("maya", "/checkin answer Fine")).ok
        milestones = [t for t in messenger.texts_to("maya") if "ten check-ins" in t]
        assert len(milestones) == (1 if week >= 9 else 0), week


async def test_a_kudos_number_too_long_to_be_one_is_answered_plainly(say: Say) -> None:
    refused = await say("morgan", "/kudos revoke 99999999999999999999999")
    assert not refused.ok
    assert "There is no kudos number 9999999" in refused.text
    assert "/kudos wall shows the numbers" in refused.text

"""Safeguarding as members meet it: nothing from a private circle reaches anyone outside it, a
member who turned public praise off is named on no post, wall or leaderboard, whether they gave
the kudos or received it, and erasing a member takes them out of what others were sent about
them, by who they are rather than by their name, while the people they were paired with keep
their pairing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from bot.kernel.mentions import Composer, without_member
from bot.kernel.model import Actor, MemberRef, Mention
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, speaker
from tests.support.settings import settings_for

Launch = Callable[..., Awaitable[Say]]


@pytest.fixture
async def launch(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[Launch]:
    """Starts the bot with these [kudos] settings (everyone gives, a public leaderboard, and
    whatever is passed), and gives back `say` for it."""
    apps: list[App] = []

    async def start(**kudos: object) -> Say:
        settings = settings_for(
            "sqlite+aiosqlite://",
            moderators=["console:morgan"],
            kudos={"givers": "everyone", "public_leaderboard": True, **kudos},
        )
        app = await bootstrap(settings, clock, {"console": messenger})
        apps.append(app)

        return speaker(app)

    yield start
    for app in apps:
        await app.close()


def posts(messenger: RecordingMessenger) -> list[str]:
    return [e.text for e in messenger.sent if e.destination.kind == "channel"]


def channels(messenger: RecordingMessenger) -> list[str]:
    return [e.destination.target for e in messenger.sent if e.destination.kind == "channel"]


async def private_circle(say: Say, name: str, *people: str) -> None:
    """A private circle with its own channel, the people added by Morgan."""
    assert (await say("morgan", f"/circle create {name}")).ok
    assert (await say("morgan", f"/circle set {name} private on")).ok
    assert (await say("morgan", f"/circle set {name} channel #{name}")).ok
    for person in people:
        assert (await say(person, "/profile")).ok
        assert (await say("morgan", f"/circle add @{person} {name}")).ok


async def open_circle(say: Say, name: str, *people: str) -> None:
    assert (await say("morgan", f"/circle create {name}")).ok
    assert (await say("morgan", f"/circle set {name} channel #{name}")).ok
    for person in people:
        assert (await say(person, f"/circle join {name}")).ok


# 1. A private circle's kudos stay in the circle.


async def test_a_kudos_in_a_private_circle_is_on_no_wall_or_leaderboard_outside_it(
    launch: Launch, messenger: RecordingMessenger
) -> None:
    say = await launch()
    await open_circle(say, "algebra", "ada", "finn")
    await private_circle(say, "secret-support", "finn", "maya")
    reply = await say("maya", "/kudos @finn So brave to talk about it today")
    assert "posted in #secret-support and sent to them" in reply.text
    assert channels(messenger) == ["#secret-support"]

    for outsider in ("ada", "ben"):
        assert (await say(outsider, "/kudos wall")).text == "No kudos yet."
        assert (await say(outsider, "/kudos top all")).text == "No kudos so far."
        assert "So brave" not in (await say(outsider, "/kudos wall algebra")).text
    for member in ("finn", "maya", "morgan"):
        assert (
            "Maya → Finn: So brave to talk about it today"
            in (await say(member, "/kudos wall")).text
        )
        assert "Finn: 1 received, 0 given" in (await say(member, "/kudos top all")).text


async def test_a_private_circles_kudos_never_go_to_the_workspace_kudos_channel(
    launch: Launch, messenger: RecordingMessenger
) -> None:
    say = await launch(channel="#kudos")
    assert (await say("morgan", "/circle create secret-support")).ok
    assert (await say("morgan", "/circle set secret-support private on")).ok
    for person in ("finn", "maya"):
        assert (await say(person, "/profile")).ok
        assert (await say("morgan", f"/circle add @{person} secret-support")).ok
    reply = await say("maya", "/kudos @finn So brave to talk about it today")
    assert reply.text == "Kudos to Finn sent to them privately. You have 4 left this week."
    assert posts(messenger) == []
    assert any("So brave" in t for t in messenger.texts_to("finn"))
    assert (await say("ada", "/kudos wall")).text == "No kudos yet."

    # Kudos between two people who share no private circle still go to the kudos channel.
    assert (await say("ben", "/profile")).ok
    assert (await say("ada", "/kudos @ben Lent me his calculator")).ok
    assert channels(messenger) == ["#kudos"]


# 2. Kudos never reveal a circle the giver is not in.


async def test_kudos_to_someone_only_in_private_circles_name_none_of_them(
    launch: Launch, messenger: RecordingMessenger
) -> None:
    say = await launch()
    await open_circle(say, "coding", "ada")
    await private_circle(say, "lgbtq-support", "emma")
    reply = await say("ada", "/kudos @emma Helped me debug my game")
    assert reply.text == "Kudos to Emma sent to them privately. You have 4 left this week."
    assert posts(messenger) == []
    assert any("Helped me debug" in t for t in messenger.texts_to("emma"))
    assert "lgbtq-support" not in (await say("ada", "/kudos wall")).text


async def test_with_no_shared_circle_kudos_go_to_the_kudos_channel_if_there_is_one(
    launch: Launch, messenger: RecordingMessenger
) -> None:
    say = await launch(channel="#kudos")
    await open_circle(say, "coding", "ada")
    await private_circle(say, "lgbtq-support", "emma")
    reply = await say("ada", "/kudos @emma Helped me debug my game")
    assert reply.text == (
        "Kudos to Emma posted in #kudos and sent to them. You have 4 left this week."
    )
    assert channels(messenger) == ["#kudos"]
    assert "Ada → Emma: Helped me debug my game" in (await say("ben", "/kudos wall")).text


async def test_kudos_between_two_people_in_an_open_circle_go_to_its_channel_not_the_others(
    launch: Launch, messenger: RecordingMessenger
) -> None:
    say = await launch()
    await open_circle(say, "coding", "ada", "emma")
    await private_circle(say, "lgbtq-support", "emma")
    reply = await say("ada", "/kudos @emma Helped me debug my game")
    assert "posted in #coding and sent to them" in reply.text
    assert channels(messenger) == ["#coding"]


# 3. Public praise turned off, as giver or as recipient.


async def test_a_giver_who_turned_public_praise_off_is_named_on_no_post_wall_or_leaderboard(
    launch: Launch, messenger: RecordingMessenger
) -> None:
    say = await launch()
    await open_circle(say, "algebra", "ada", "ben", "maya")
    assert (await say("ada", "/profile set public-kudos off")).ok
    reply = await say("ada", "/kudos @ben Explained fractions so clearly")
    assert reply.text == (
        "Kudos to Ben sent to them privately, since you turned public praise off "
        "(/profile set public-kudos on changes that). You have 4 left this week."
    )
    assert posts(messenger) == []
    assert any("Ada gave you kudos" in t for t in messenger.texts_to("ben"))
    for viewer in ("maya", "morgan"):
        assert (await say(viewer, "/kudos wall")).text == "No kudos yet."
        assert (await say(viewer, "/kudos wall algebra")).text == "No kudos in algebra yet."
        top = (await say(viewer, "/kudos top all")).text
        assert "Ada" not in top
        assert "Ben: 1 received, 0 given" in top

    assert (await say("maya", "/kudos @ada Always kind")).ok
    assert "Ada" not in (await say("ben", "/kudos wall")).text
    assert posts(messenger) == []


# 4. Erasure finds what others were sent about the member by who they are, not by their name.

MONDAY = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
LONG_NAME = "Zoe Quinn-Abernathy-Fitzgerald of Year Nine"  # over the digest's 40 characters


def as_zoe(name: str) -> Actor:
    return Actor(MemberRef("console", "w1", "zoe"), name)


async def outbox_texts(app: App) -> list[str]:
    return [e.text for e in await app.outbox.entries()]


async def support_check_in(app: App, say: Say, clock: ManualClock, name: str) -> None:
    """Zoe, going by `name`, and Ben in support, whose weekly check-in opens on Monday; Ben
    answers his."""
    assert (await say("morgan", "/circle create support")).ok
    for key, value in (("cadence", "weekly"), ("day", "mon"), ("checkin-audience", "everyone")):
        assert (await say("morgan", f"/circle set support {key} {value}")).ok
    assert (await app.bus.handle_text("/circle join support", as_zoe(name))).ok
    assert (await say("ben", "/circle join support")).ok
    clock.current = MONDAY
    await app.due.run_due()
    assert (await say("ben", "/checkin answer Fine")).ok


async def zoe_skips_a_check_in(app: App, say: Say, clock: ManualClock, name: str) -> None:
    """Zoe skips her support check-in with a reason; Ben answers his."""
    await support_check_in(app, say, clock, name)
    assert (await app.bus.handle_text("/checkin skip my parents are divorcing", as_zoe(name))).ok


async def test_erasing_takes_a_renamed_member_out_of_a_summary_already_sent(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await zoe_skips_a_check_in(app, say, clock, "Zoe Q")
    clock.advance(timedelta(days=4))
    await app.due.run_due()
    [summary] = [t for t in messenger.texts_to("morgan") if t.startswith("Check-in summary")]
    assert "Skipped: 1: Zoe Q (my parents are divorcing)" in summary

    assert (await app.bus.handle_text("/profile", as_zoe("Zoe Quinn"))).ok
    assert (await app.bus.handle_text("/privacy delete confirm", as_zoe("Zoe Quinn"))).ok
    [stored] = [t for t in await outbox_texts(app) if t.startswith("Check-in summary")]
    assert "Skipped: 1: (former member)\n" in stored
    assert "Answered: 1: Ben\n" in stored
    assert not any("Zoe" in t or "divorcing" in t for t in await outbox_texts(app))


async def test_erasing_takes_a_long_named_member_out_of_a_summary_still_waiting(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/profile set quiet-hours 09:00-12:00")).ok
    await zoe_skips_a_check_in(app, say, clock, LONG_NAME)
    clock.advance(timedelta(days=4))
    await app.due.run_due()
    [waiting] = [t for t in await outbox_texts(app) if t.startswith("Check-in summary")]
    assert "Skipped: 1: Zoe Quinn-Abernathy-Fitzgerald of Year… (my parents" in waiting
    assert not [t for t in messenger.texts_to("morgan") if t.startswith("Check-in summary")]

    assert (await app.bus.handle_text("/privacy delete confirm", as_zoe(LONG_NAME))).ok
    clock.advance(timedelta(hours=3))
    await app.due.run_due()
    [summary] = [t for t in messenger.texts_to("morgan") if t.startswith("Check-in summary")]
    assert summary == (
        "Check-in summary for support, the check-in of Mon 9 Mar: 2 asked.\n"
        "Answered: 1: Ben\n"
        "Skipped: 1: (former member)\n"
        "Missing: 0\n"
        "Concerns: 0\n"
        "/checkin status support shows who is who."
    )
    assert not any("Zoe" in t or "divorcing" in t for t in await outbox_texts(app))


async def test_a_late_answer_in_a_later_summary_is_erased_by_who_gave_it(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await support_check_in(app, say, clock, "Zoe Q")
    clock.advance(timedelta(days=4))
    await app.due.run_due()
    clock.advance(timedelta(hours=1))
    assert (await app.bus.handle_text("/checkin answer Not great", as_zoe("Zoe Q"))).ok
    clock.current = MONDAY + timedelta(weeks=1)
    await app.due.run_due()
    clock.advance(timedelta(days=4))
    await app.due.run_due()
    later = [t for t in messenger.texts_to("morgan") if "Late answers" in t]
    assert [t.splitlines()[-2] for t in later] == [
        "Late answers to earlier check-ins since the last summary: 1: Zoe Q (09 Mar)"
    ]

    assert (await app.bus.handle_text("/privacy delete confirm", as_zoe("Zoe R"))).ok
    stored = [t for t in await outbox_texts(app) if "Late answers" in t]
    assert [t.splitlines()[-2] for t in stored] == [
        "Late answers to earlier check-ins since the last summary: 1: (former member)"
    ]
    assert not any("Zoe" in t for t in await outbox_texts(app))


# 5. Erasing one of a trio leaves the other two paired.


async def trio(say: Say) -> None:
    """Ada, Ben and Chloe, put together by trio-club's round."""
    assert (await say("morgan", "/circle create trio-club")).ok
    for name in ("ada", "ben", "chloe"):
        assert (await say(name, "/profile set subjects algebra")).ok
        assert (await say(name, "/circle join trio-club")).ok
    assert (await say("morgan", "/round run trio-club")).ok


async def test_erasing_one_of_a_trio_leaves_the_other_two_paired_with_their_reasons(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await trio(say)
    before = (await say("ben", "/buddy")).text
    assert "Ada and Chloe (circle round" in before
    chloe_line = next(line for line in before.splitlines() if line.startswith("Chloe: "))

    assert (await say("ada", "/privacy delete confirm")).ok
    for name, other in (("ben", "Chloe"), ("chloe", "Ben")):
        assert not [t for t in messenger.texts_to(name) if "has ended" in t]
        assert messenger.texts_to(name)[-1] == (
            f"One person has left your buddy group from Tue 3 Mar; you are still with {other}. "
            "/buddy shows it."
        )
        now = (await say(name, "/buddy")).text
        assert f"• {other} (circle round, since Tue 3 Mar, 10:00). Why: " in now
        assert "Ada" not in now
        assert "former member" not in now
    assert chloe_line in (await say("ben", "/buddy")).text

    clock.advance(timedelta(days=3))
    await app.due.run_due()
    asked = [t for t in messenger.texts_to("ben") if t.startswith("Did you meet")]
    assert asked == [
        "Did you meet Chloe? Answer with /buddy met @chloe, /buddy notyet @chloe, "
        "/buddy couldnt @chloe, or /buddy end @chloe to end the pairing."
    ]
    assert not any("Ada" in t for t in await outbox_texts(app))


async def test_a_trios_match_still_waiting_for_someone_is_sent_without_the_erased_member(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("ben", "/profile set quiet-hours 09:00-12:00")).ok
    await trio(say)
    assert not [t for t in messenger.texts_to("ben") if "New round" in t]

    assert (await say("ada", "/privacy delete confirm")).ok
    clock.advance(timedelta(hours=2))
    await app.due.run_due()
    [matched] = [t for t in messenger.texts_to("ben") if "New round" in t]
    assert matched.startswith(
        "New round in trio-club: you are with (former member) and Chloe. Why:\nChloe: "
    )
    assert "Ada" not in matched


def test_erasing_a_mention_replaces_exactly_its_part_and_moves_the_others() -> None:
    text = Composer()
    text.add("Skipped: ")
    text.about(1, "Zoe (sad)")
    text.add(", ")
    text.about(2, "Zoe Q (away)")
    text.add(", ")
    text.about(1, "\nZoe's line", instead="")
    once, left = without_member(text.text, text.mentions, 1, "(former member)")
    assert once == "Skipped: (former member), Zoe Q (away), "
    assert [once[m.start : m.end] for m in left] == ["Zoe Q (away)"]
    twice, none = without_member(once, left, 2, "(former member)")
    assert twice == "Skipped: (former member), (former member), "
    assert none == ()
    # A mention that does not fit the text (it was changed since) changes nothing.
    assert without_member("short", (Mention(1, 3, 40),), 1, "x") == ("short", ())


async def test_a_reason_someone_gave_the_moderators_for_ending_a_pairing_outlives_the_erasure(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Ben's report is his, like a concern he raised: Ada erasing her data does not withdraw
    it; she is only no longer named in it."""
    assert (await say("morgan", "/profile set quiet-hours 09:00-12:00")).ok
    assert "buddy queue" in (await say("ada", "/findbuddy")).text
    assert "study buddy" in (await say("ben", "/findbuddy")).text
    ended = await say("ben", "/buddy end @ada They kept saying hurtful things")
    assert "kept for the moderators only" in ended.text or "sent to the moderators" in ended.text

    assert (await say("ada", "/privacy delete confirm")).ok
    clock.advance(timedelta(hours=3))
    await app.due.run_due()
    assert [t for t in messenger.texts_to("morgan") if "ended their buddy pairing" in t] == [
        "Ben ended their buddy pairing with (former member). Their reason, for the moderators "
        "only: They kept saying hurtful things"
    ]
    assert not any("Ada" in t for t in await outbox_texts(app))


async def test_notices_that_named_a_facilitator_name_them_no_more_once_they_erase(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    """What the facilitator's actions told others ("Maya added you", "Maya was the last
    facilitator") is recorded as hers, so erasing her rewrites it wherever it is kept."""
    assert (await say("ada", "/profile")).ok
    assert (await say("maya", "/profile")).ok
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("morgan", "/circle add @maya algebra as facilitator")).ok
    assert (await say("maya", "/circle add @ada algebra")).ok
    assert (await say("maya", "/circle leave algebra")).ok
    assert messenger.texts_to("ada")[-1].startswith("Maya added you to algebra")
    assert messenger.texts_to("morgan")[-1].startswith("Maya was the last facilitator")

    assert (await say("maya", "/privacy delete confirm")).ok
    texts = await outbox_texts(app)
    assert not any("Maya" in t for t in texts)
    assert any(t.startswith("(former member) added you to algebra as mentee.") for t in texts)
    assert any(t.startswith("(former member) was the last facilitator of algebra") for t in texts)

"""Safeguarding as members meet it: nothing from a private circle reaches anyone outside it, a
member who turned public praise off is named on no post, wall or leaderboard, whether they gave
the kudos or received it, and erasing a member takes them out of what others were sent about
them, by who they are rather than by their name, while the people they were paired with keep
their pairing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.demo import actor
from bot.replies import Reply
from tests.conftest import settings_for
from tests.fakes import RecordingMessenger
from tests.unit.conftest import Say

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

        async def run(name: str, line: str) -> Reply:
            reply = await app.bus.handle_text(line, actor("w1", name.capitalize()))
            await app.due.deliver()
            return reply

        return run

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

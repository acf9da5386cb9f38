"""Scenes the feature tests share: members typing lines to the real bootstrap, a school's app,
and a weekly mentoring circle.

`Say` is how a test speaks: `await say("ada", "/circle list")` runs the line as Ada on
workspace w1, delivers what it queued, and gives the reply as the console shows it; the `say`
fixture (tests/features/conftest.py) is one for the test's `app`, and `speaker(app)` makes one
for an app of the test's own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.command_refs import as_typed
from bot.kernel.replies import Reply
from tests.support.fakes import RecordingMessenger
from tests.support.settings import settings_for

Say = Callable[[str, str], Awaitable[Reply]]


def speaker(app: App) -> Say:
    """Like the `say` fixture, for an app of the test's own."""

    async def run(name: str, line: str) -> Reply:
        reply = await app.bus.handle_text(line, actor("w1", name.capitalize()))
        await app.due.deliver()
        return replace(reply, text=as_typed(reply.text))

    return run


async def school_app(clock: ManualClock, messenger: RecordingMessenger, **programme: bool) -> App:
    """The real bootstrap with the default [programme] (a school's), but for `programme`."""
    settings = settings_for(
        "sqlite+aiosqlite://", moderators=["console:morgan"], programme=programme
    )
    return await bootstrap(settings, clock, {"console": messenger})


async def mentoring(say: Say, mentors: dict[str, str], **settings: str) -> None:
    """A weekly circle (Mondays 09:00) with these mentors, each in their time zone."""
    assert (await say("morgan", "/circle create mentoring")).ok
    for key, value in {"cadence": "weekly", "day": "mon", "time": "09:00", **settings}.items():
        assert (await say("morgan", f"/circle set mentoring {key} {value}")).ok
    for name, zone in mentors.items():
        assert (await say(name, "/profile set role mentor")).ok
        assert (await say(name, f"/profile set timezone {zone}")).ok
        assert (await say(name, "/circle join mentoring as mentor")).ok

"""Helpers for driving the core as people would: typed lines, as a named member."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.bootstrap import App
from adapters.console.people import actor
from bot.kernel.replies import Reply

Say = Callable[[str, str], Awaitable[Reply]]


@pytest.fixture
def say(app: App) -> Say:
    """`await say("ada", "/circle list")` runs the line as Ada and delivers what it queued.
    Morgan is a moderator by config."""

    async def run(name: str, line: str) -> Reply:
        reply = await app.bus.handle_text(line, actor("w1", name.capitalize()))
        await app.due.deliver()
        return reply

    return run


@pytest.fixture
async def circle_with_people(say: Say) -> Say:
    """algebra with Maya (mentor, facilitator) and Ada (mentee); Ben known but outside."""
    for name in ("ada", "ben"):
        assert (await say(name, "/profile set role student")).ok
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("morgan", "/circle create algebra Algebra for years 9-10")).ok
    assert (await say("morgan", "/circle set algebra channel #algebra")).ok
    assert (await say("ada", "/circle join algebra")).ok
    assert (await say("morgan", "/circle add @maya algebra as facilitator")).ok
    return say

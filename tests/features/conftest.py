"""The feature tests drive the real bootstrap on in-memory SQLite (the `app`, `clock` and
`messenger` fixtures of tests/conftest.py) as people would: typed lines, as named members.
Morgan is a moderator by config."""

from __future__ import annotations

import pytest

from adapters.bootstrap import App
from tests.support.scenes import Say, speaker


@pytest.fixture
def say(app: App) -> Say:
    """`await say("ada", "/circle list")` runs the line as Ada and delivers what it queued."""
    return speaker(app)


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

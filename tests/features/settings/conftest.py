"""The settings tests' app: Morgan and Mona moderate by config, with Europe/Berlin as the
time zone, and a second console workspace (w2) on the same database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.command_refs import as_typed
from bot.kernel.replies import Reply
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import settings_for


@pytest.fixture
async def app(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[App]:
    """Morgan and Mona moderate by config; the config's defaults are the school's (moderators
    give kudos and appoint mentors) with Europe/Berlin as the time zone."""
    application = await bootstrap(
        settings_for(
            "sqlite+aiosqlite://",
            default_timezone="Europe/Berlin",
            moderators=["console:morgan", "console:mona"],
            programme={"self_service_mentors": False},
        ),
        clock,
        {"console": messenger},
    )
    yield application
    await application.close()


@pytest.fixture
def in_w2(app: App) -> Say:
    """Like `say`, in workspace w2."""

    async def run(name: str, line: str) -> Reply:
        reply = await app.bus.handle_text(line, actor("w2", name.capitalize()))
        await app.due.deliver()
        return replace(reply, text=as_typed(reply.text))

    return run

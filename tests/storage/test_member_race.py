"""A new person's first two commands arriving at once (a double click, two instances)."""

from __future__ import annotations

import asyncio

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from bot.kernel.model import Actor, MemberRef
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START, settings_for


async def test_a_new_persons_simultaneous_first_commands_all_succeed(database_url: str) -> None:
    app = await bootstrap(
        settings_for(database_url), ManualClock(START), {"slack": RecordingMessenger()}
    )
    try:
        people = [Actor(MemberRef("slack", "T1", f"U{n}"), f"user{n}") for n in range(20)]
        lines = ("/circle list", "/profile", "/buddy", "/kudos wall")
        replies = await asyncio.gather(
            *(app.bus.handle_text(line, person) for person in people for line in lines)
        )
        assert all(reply.ok for reply in replies), [r.text for r in replies if not r.ok][:3]
    finally:
        await app.close()

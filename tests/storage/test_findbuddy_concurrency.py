"""Fifty students type /findbuddy in the same second: on SQLite and on PostgreSQL, nobody ends up
in two open on-demand pairings and nobody is lost."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START, settings_for

SEEKERS = 50


async def test_fifty_at_once_are_paired_at_most_once_each(database_url: str) -> None:
    app = await bootstrap(settings_for(database_url), ManualClock(START), {})
    try:
        people = [actor("w1", f"student{i:02d}") for i in range(SEEKERS)]
        for person in people:
            await app.bus.meet(person)
        replies = await asyncio.gather(
            *(app.bus.handle_text("/findbuddy", person) for person in people)
        )
        assert all(reply.ok for reply in replies), [r.text for r in replies if not r.ok]
        async with app.engine.connect() as connection:
            seats = (
                await connection.execute(
                    text(
                        "SELECT s.member_id, COUNT(*) FROM pairing_seats s "
                        "JOIN pairings p ON p.id = s.pairing_id "
                        "WHERE p.ended_at IS NULL GROUP BY s.member_id"
                    )
                )
            ).all()
            waiting = (
                await connection.execute(
                    text("SELECT COUNT(*) FROM buddy_requests WHERE status = 'waiting'")
                )
            ).scalar_one()
        assert all(count == 1 for _, count in seats)
        assert len(seats) + waiting == SEEKERS
        assert waiting <= 1  # everyone fits everyone here: at most one is left waiting
        matched = sum("You have a study buddy" in reply.text for reply in replies)
        assert matched == len(seats) // 2
    finally:
        await app.close()


async def test_everyone_matched_gets_one_dm_even_with_two_deliveries_racing(
    database_url: str,
) -> None:
    """Both sides of a match get the match by DM (a reply on Slack or Discord is ephemeral and
    gone on reload), once each, whichever delivery sends it."""
    messenger = RecordingMessenger()
    app = await bootstrap(settings_for(database_url), ManualClock(START), {"console": messenger})
    try:
        people = [actor("w1", f"student{i:02d}") for i in range(10)]
        await asyncio.gather(*(app.bus.handle_text("/findbuddy", p) for p in people))
        await asyncio.gather(app.due.deliver(), app.due.deliver())
        told = [e.destination.target for e in messenger.sent]
        assert len(told) == len(set(told)) == 10
    finally:
        await app.close()

"""Two bot instances on one database tick at the same moment, again and again: on SQLite and on
PostgreSQL every mentor gets exactly one prompt for the period, even when the check-in job itself
runs in both at once (the unique check-in, not only the tick lock, holds it)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.checkins.jobs import CheckinJobs
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START, settings_for

MENTORS = [f"mentor{i:02d}" for i in range(20)]
MONDAY_NINE = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


@pytest.fixture
async def instances(
    database_url: str,
) -> AsyncIterator[tuple[ManualClock, list[App], list[RecordingMessenger]]]:
    clock = ManualClock(START)
    messengers = [RecordingMessenger(), RecordingMessenger()]
    settings = settings_for(database_url, moderators=["console:morgan"])
    apps = [await bootstrap(settings, clock, {"console": m}) for m in messengers]
    morgan = actor("w1", "Morgan", moderator=True)
    for line in ("/circle create mentoring", "/circle set mentoring cadence weekly"):
        assert (await apps[0].bus.handle_text(line, morgan)).ok
    for name in MENTORS:
        for line in ("/profile set role mentor", "/circle join mentoring as mentor"):
            assert (await apps[0].bus.handle_text(line, actor("w1", name))).ok
    try:
        yield clock, apps, messengers
    finally:
        for app in apps:
            await app.close()


def prompts(messengers: list[RecordingMessenger]) -> Counter[str]:
    return Counter(
        entry.destination.target
        for messenger in messengers
        for entry in messenger.sent
        if entry.text.startswith("Time for your check-in in the mentoring circle")
    )


async def test_ticks_at_once_in_two_instances_prompt_each_mentor_once(
    instances: tuple[ManualClock, list[App], list[RecordingMessenger]],
) -> None:
    clock, apps, messengers = instances
    clock.current = MONDAY_NINE
    await asyncio.gather(*(app.due.run_due() for app in apps * 3))
    await asyncio.gather(*(app.due.run_due() for app in apps))
    assert prompts(messengers) == Counter(MENTORS)


async def test_the_job_run_twice_at_once_still_prompts_each_mentor_once(
    instances: tuple[ManualClock, list[App], list[RecordingMessenger]],
) -> None:
    clock, apps, messengers = instances
    clock.current = MONDAY_NINE
    core = settings_for("sqlite+aiosqlite://").core()
    jobs = [CheckinJobs(SqlUnitOfWorkFactory(app.engine, clock), core) for app in apps]
    await asyncio.gather(*(job.open_due(MONDAY_NINE) for job in jobs * 2))
    await asyncio.gather(*(app.due.deliver() for app in apps))
    assert prompts(messengers) == Counter(MENTORS)

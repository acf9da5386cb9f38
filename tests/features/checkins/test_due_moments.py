"""The check-in job looks at a circle only when its next moment comes, so whatever brings a
prompt sooner must be noticed at once: a mentor moving to an earlier time zone, a mentor joining
from one, a circle moved to an earlier day, a holiday lifted. Each is prompted at the tick after,
as before the job stored its moments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from tests.features.checkins.test_checkins import PROMPT, run_until, sent_to
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, mentoring

HOUR = timedelta(hours=1)
MONDAY = datetime(2026, 3, 9, tzinfo=UTC)


async def test_a_mentor_who_moves_to_an_earlier_zone_is_prompted_at_the_next_tick(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"lena": "America/Los_Angeles"})
    clock.current = MONDAY
    await app.due.run_due()  # her 09:00 is 16:00 UTC today
    clock.current = MONDAY + timedelta(hours=10, minutes=30)
    assert (await say("lena", "/profile set timezone Europe/London")).ok
    await run_until(app, clock, MONDAY + 18 * HOUR, HOUR)
    [prompt] = sent_to(messenger, "lena", PROMPT)
    assert prompt.created_at == MONDAY + timedelta(hours=11, minutes=30)


async def test_a_mentor_who_joins_from_an_earlier_zone_is_prompted_at_their_nine(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"lena": "America/Los_Angeles"})
    clock.current = MONDAY
    await app.due.run_due()
    clock.current = MONDAY + timedelta(hours=8, minutes=30)
    await mentoring_joiner(say, "omar", "Europe/London")
    await run_until(app, clock, MONDAY + 18 * HOUR, HOUR)
    [omar] = sent_to(messenger, "omar", PROMPT)
    [lena] = sent_to(messenger, "lena", PROMPT)
    assert omar.created_at == MONDAY + timedelta(hours=9, minutes=30)  # the tick after 09:00
    assert lena.created_at == MONDAY + timedelta(hours=16, minutes=30)


async def mentoring_joiner(say: Say, name: str, zone: str) -> None:
    assert (await say(name, "/profile set role mentor")).ok
    assert (await say(name, f"/profile set timezone {zone}")).ok
    assert (await say(name, "/circle join mentoring as mentor")).ok


async def test_a_circle_moved_to_an_earlier_day_prompts_on_that_day(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    await app.due.run_due()  # nothing owed this week: the next moment is Monday the 9th
    clock.current = datetime(2026, 3, 4, 10, tzinfo=UTC)
    assert (await say("morgan", "/circle set mentoring day thu")).ok
    await run_until(app, clock, datetime(2026, 3, 6, tzinfo=UTC), HOUR)
    [prompt] = sent_to(messenger, "maya", PROMPT)
    assert prompt.created_at == datetime(2026, 3, 5, 9, tzinfo=UTC)


async def test_a_blackout_lifted_on_the_day_lets_the_prompt_out_at_the_next_tick(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await mentoring(say, {"maya": "UTC"})
    assert (await say("morgan", "/blackout add 2026-03-09")).ok
    clock.current = MONDAY
    await run_until(app, clock, MONDAY + 10 * HOUR, HOUR)
    assert sent_to(messenger, "maya", PROMPT) == []
    assert (await say("morgan", "/blackout remove 2026-03-09")).ok
    await run_until(app, clock, MONDAY + 12 * HOUR, HOUR)
    [prompt] = sent_to(messenger, "maya", PROMPT)
    assert prompt.created_at == MONDAY + 11 * HOUR


async def test_a_workspace_moved_to_an_earlier_zone_prompts_and_pairs_at_the_next_tick(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Lena set no zone of her own: her 09:00 is the workspace's. Moved from Los Angeles to
    London after 09:00 London time, her prompt and the circle's round are owed at once."""
    assert (await say("morgan", "/settings set timezone America/Los_Angeles")).ok
    await mentoring(say, {})
    assert (await say("lena", "/profile set role mentor")).ok
    assert (await say("lena", "/circle join mentoring as mentor")).ok
    assert (await say("ada", "/circle join mentoring")).ok
    clock.current = MONDAY
    await app.due.run_due()  # 09:00 in Los Angeles is 16:00 UTC today
    clock.current = MONDAY + timedelta(hours=10, minutes=30)
    assert (await say("morgan", "/settings set timezone Europe/London")).ok
    await run_until(app, clock, MONDAY + 14 * HOUR, HOUR)
    [prompt] = sent_to(messenger, "lena", PROMPT)
    [introduction] = sent_to(messenger, "ada", "New round in mentoring")
    assert prompt.created_at == MONDAY + timedelta(hours=11, minutes=30)
    assert introduction.created_at == MONDAY + timedelta(hours=11, minutes=30)

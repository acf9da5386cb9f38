"""Quiet hours and holidays as a member lives them: what falls due in someone's night waits for
their morning, in their own time zone, and a blackout day holds it a day more. (The rule alone,
including the hour a DST change repeats: tests/unit/test_quiet_hours.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say


async def _run_until(app: App, clock: ManualClock, moment: datetime) -> None:
    """Tick hour by hour up to `moment`, as the scheduler would."""
    while clock.now() < moment:
        clock.advance(min(timedelta(hours=1), moment - clock.now()))
        await app.due.run_due()


async def test_did_you_meet_waits_out_the_night_in_each_members_own_zone(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """Matched at 22:10 London time, "did you meet?" falls due at 22:10 three days later:
    Ben (London, quiet 21:00-08:00) is asked at 08:00, Ada (Tokyo) once her night is over."""
    await say("ada", "/profile set timezone Asia/Tokyo")
    await say("ben", "/profile set timezone Europe/London")
    clock.advance(datetime(2026, 3, 3, 22, 10, tzinfo=UTC) - clock.now())
    await say("ben", "/findbuddy")
    assert "Ben" in (await say("ada", "/findbuddy")).text
    messenger.sent.clear()

    await _run_until(app, clock, datetime(2026, 3, 6, 22, 59, tzinfo=UTC))  # 07:59 in Tokyo
    assert [t for t in messenger.texts_to("ben") if "Did you meet" in t] == []
    assert [t for t in messenger.texts_to("ada") if "Did you meet" in t] == []
    await _run_until(app, clock, datetime(2026, 3, 6, 23, 0, tzinfo=UTC))
    assert [t for t in messenger.texts_to("ada") if "Did you meet" in t]
    await _run_until(app, clock, datetime(2026, 3, 7, 7, 59, tzinfo=UTC))
    assert [t for t in messenger.texts_to("ben") if "Did you meet" in t] == []
    await _run_until(app, clock, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))
    assert [t for t in messenger.texts_to("ben") if "Did you meet" in t]


async def test_a_round_run_at_night_reaches_each_member_in_their_morning(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """A moderator runs a round at 23:00 UTC: the channel hears at once, and each member's match
    waits for the end of their own quiet hours; a holiday holds it a day more."""
    for name in ("ada", "ben"):
        await say(name, "/profile set timezone Europe/London")
        await say(name, "/profile set role student")
    await say("morgan", "/circle create chess")
    await say("morgan", "/circle set chess channel #chess")
    await say("morgan", "/blackout add 2026-03-04")
    for name in ("ada", "ben"):
        await say(name, "/circle join chess")
    clock.advance(datetime(2026, 3, 3, 23, 0, tzinfo=UTC) - clock.now())
    messenger.sent.clear()
    assert (await say("morgan", "/round run chess")).ok
    assert messenger.texts_to("#chess")
    assert messenger.texts_to("ada") == []
    assert messenger.texts_to("ben") == []
    await _run_until(app, clock, datetime(2026, 3, 5, 7, 59, tzinfo=UTC))
    assert messenger.texts_to("ada") == []  # the night, then the blackout day
    await _run_until(app, clock, datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    assert any("New round in chess" in t for t in messenger.texts_to("ada"))
    assert any("New round in chess" in t for t in messenger.texts_to("ben"))


async def test_an_expired_request_is_told_in_the_morning(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await say("ada", "/profile set timezone Europe/London")
    clock.advance(datetime(2026, 3, 3, 22, 30, tzinfo=UTC) - clock.now())
    await say("ada", "/findbuddy")
    await _run_until(app, clock, datetime(2026, 3, 7, 7, 59, tzinfo=UTC))
    assert messenger.texts_to("ada") == []
    await _run_until(app, clock, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))
    [expired] = messenger.texts_to("ada")
    assert "has expired" in expired

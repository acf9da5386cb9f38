"""Quiet hours and holidays as a member lives them, including the hour a DST change repeats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from bot.kernel.model import Blackout, Member, MemberRef, Profile, WorkspaceRef
from bot.kernel.quiet_hours import first_moment_allowed
from bot.kernel.settings import CoreSettings
from tests.fakes import RecordingMessenger
from tests.unit.conftest import Say

SETTINGS = CoreSettings()


def chicagoan(quiet: str) -> Member:
    profile = Profile(timezone="America/Chicago", quiet_hours=quiet)
    return Member(MemberRef("console", "w1", "chuck"), "Chuck", profile=profile, id=1)


def test_the_repeated_hour_of_the_autumn_change_is_still_quiet() -> None:
    # 1 Nov 2026, 01:15 CST: the second time the clock shows 01:15 in Chicago.
    moment = datetime(2026, 11, 1, 7, 15, tzinfo=UTC)
    allowed = first_moment_allowed(chicagoan("22:00-01:30"), moment, SETTINGS)
    assert allowed == datetime(2026, 11, 2, 7, 30, tzinfo=UTC)


def test_a_holiday_then_the_quiet_night_move_a_message_to_the_next_free_morning() -> None:
    holidays = [
        Blackout(WorkspaceRef("console", "w1"), date(2026, 3, 14), date(2026, 3, 15), START, id=1)
    ]
    moment = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)  # Saturday afternoon in Chicago
    allowed = first_moment_allowed(chicagoan("21:00-08:00"), moment, SETTINGS, holidays)
    assert allowed == datetime(2026, 3, 16, 13, 0, tzinfo=UTC)  # Monday 08:00 CDT


START = datetime(2026, 3, 1, tzinfo=UTC)


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

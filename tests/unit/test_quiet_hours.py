"""Quiet hours and holidays as a member lives them, including the hour a DST change repeats."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.kernel.model import Blackout, Member, MemberRef, Profile, WorkspaceRef
from bot.kernel.quiet_hours import first_moment_allowed
from bot.kernel.settings import CoreSettings

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

"""Free hours typed in one's own time zone land on the right UTC half-hours, east and west of
Greenwich, and come back unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.buddies.free_time import free_slots, local_hours
from bot.kernel.weekly_hours import WeeklyHours

MONDAY = datetime(2026, 2, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "first_slot"),
    [
        ("UTC", 36),  # Monday 18:00 UTC
        ("America/New_York", 46),  # Monday 23:00 UTC
        ("Asia/Kolkata", 25),  # Monday 12:30 UTC
        ("Pacific/Auckland", 10),  # Monday 05:00 UTC
    ],
)
def test_monday_evening_is_monday_evening_in_every_zone(zone: str, first_slot: int) -> None:
    hours = WeeklyHours.parse("mon 18:00-19:00")
    slots = free_slots(hours, ZoneInfo(zone), MONDAY)
    assert sorted(slots) == [first_slot, first_slot + 1]
    assert str(local_hours(slots, ZoneInfo(zone), MONDAY)) == "mon 18:00-19:00"


def test_sunday_night_in_tokyo_wraps_to_the_start_of_the_utc_week() -> None:
    slots = free_slots(WeeklyHours.parse("mon 08:00-09:00"), ZoneInfo("Asia/Tokyo"), MONDAY)
    assert sorted(slots) == [334, 335]  # Sunday 23:00 UTC

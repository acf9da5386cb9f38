"""Weekly free hours between a member's own time zone and the matcher's UTC half-hour slots.

Rules: hours are read in the member's zone in the current week, so a pair's shared time follows
daylight saving time; a slot counts only when it is free from start to end; shared slots are
shown back to each reader in their own zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.kernel.weekly_hours import MINUTES_PER_DAY, Slot, WeeklyHours
from bot.matching.problem import SLOT_MINUTES, SLOTS_PER_WEEK

WEEK_MINUTES = 7 * MINUTES_PER_DAY


@lru_cache(maxsize=4096)
def free_slots(hours: WeeklyHours, zone: ZoneInfo, monday_utc: datetime) -> frozenset[int]:
    """The UTC half-hour slots of the week starting `monday_utc` that lie wholly in free time;
    worked out once for each (hours, zone, week), as a round reads thousands of profiles that
    share a handful (all three are immutable)."""
    slots: set[int] = set()
    local_monday = datetime.combine(monday_utc.date(), time(0))  # that Monday, on local clocks
    for free in hours.slots:
        day = local_monday + timedelta(days=free.day)
        start = _utc_minute(day + timedelta(minutes=free.start), zone, monday_utc)
        end = _utc_minute(day + timedelta(minutes=free.end), zone, monday_utc)
        first = -(-start // SLOT_MINUTES)
        for slot in range(first, end // SLOT_MINUTES):
            slots.add(slot % SLOTS_PER_WEEK)
    return frozenset(slots)


def local_hours(slots: Iterable[int], zone: ZoneInfo, monday_utc: datetime) -> WeeklyHours:
    """UTC slots as weekly hours in `zone`, merged into ranges."""
    local: list[Slot] = []
    for slot in slots:
        moment = (monday_utc + timedelta(minutes=slot * SLOT_MINUTES)).astimezone(zone)
        start = moment.hour * 60 + moment.minute
        local.append(Slot(moment.weekday(), start, min(start + SLOT_MINUTES, MINUTES_PER_DAY)))
    return WeeklyHours.from_slots(local)


def _utc_minute(local: datetime, zone: ZoneInfo, monday_utc: datetime) -> int:
    """Minutes from `monday_utc` to the local wall-clock time (may be negative or > a week)."""
    moment = local.replace(tzinfo=zone)
    return int((moment - monday_utc).total_seconds() // 60)

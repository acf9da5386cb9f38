"""When a circle's periods fall, from its cadence, day and time.

Rules: weekly periods are ISO weeks, biweekly ones fortnights counted from a fixed Monday, monthly
ones calendar months whose moment is the first such weekday; the day and time are read in the zone
given (the workspace default for a circle's round, each member's own for their check-in), so the
moment stays at 09:00 local across daylight saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.model import Cadence, CircleSettings
from bot.kernel.weekly_hours import parse_clock_time, parse_day

FORTNIGHT_EPOCH = date(2024, 1, 1)  # a Monday


@dataclass(frozen=True)
class Period:
    key: str
    """`2026-W10`, `fortnight-58` or `2026-03`: the same for everyone in the circle."""
    moment: datetime
    """The circle's day and time within the period, in the zone it was read in."""


def period_at(settings: CircleSettings, now: datetime, zone: ZoneInfo) -> Period:
    """The period the local date of `now` falls in. The cadence must not be off."""
    return _period_of(settings, now.astimezone(zone).date(), zone)


def recent_periods(settings: CircleSettings, now: datetime, zone: ZoneInfo) -> list[Period]:
    """The previous and the current period whose moment has come, earliest first."""
    current = period_at(settings, now, zone)
    previous = _period_of(settings, _start_of(settings, current) - timedelta(days=1), zone)
    return [p for p in (previous, current) if p.moment <= now]


def next_moment(settings: CircleSettings, now: datetime, zone: ZoneInfo) -> datetime:
    """The first moment after `now`."""
    current = period_at(settings, now, zone)
    if current.moment > now:
        return current.moment
    following = _start_of(settings, current) + timedelta(days=_length_days(settings, current))
    return _period_of(settings, following, zone).moment


def _period_of(settings: CircleSettings, day: date, zone: ZoneInfo) -> Period:
    weekday = parse_day(settings.day)
    monday = day - timedelta(days=day.weekday())
    if settings.cadence is Cadence.WEEKLY:
        year, week, _ = day.isocalendar()
        key, moment_day = f"{year}-W{week:02d}", monday + timedelta(days=weekday)
    elif settings.cadence is Cadence.BIWEEKLY:
        fortnight = (monday - FORTNIGHT_EPOCH).days // 14
        start = FORTNIGHT_EPOCH + timedelta(days=14 * fortnight)
        key, moment_day = f"fortnight-{fortnight}", start + timedelta(days=weekday)
    elif settings.cadence is Cadence.MONTHLY:
        first = day.replace(day=1)
        key, moment_day = f"{day:%Y-%m}", first + timedelta(days=(weekday - first.weekday()) % 7)
    else:
        raise ValueError("a circle with no cadence has no periods")
    minutes = parse_clock_time(settings.time)
    moment = datetime.combine(moment_day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return Period(key, moment)


def _start_of(settings: CircleSettings, period: Period) -> date:
    day = period.moment.date()
    if settings.cadence is Cadence.MONTHLY:
        return day.replace(day=1)
    monday = day - timedelta(days=day.weekday())
    if settings.cadence is Cadence.BIWEEKLY:
        return monday - timedelta(days=(monday - FORTNIGHT_EPOCH).days % 14)
    return monday


def _length_days(settings: CircleSettings, period: Period) -> int:
    if settings.cadence is Cadence.WEEKLY:
        return 7
    if settings.cadence is Cadence.BIWEEKLY:
        return 14
    start = _start_of(settings, period)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (following - start).days

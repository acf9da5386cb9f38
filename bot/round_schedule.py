"""When a circle's next round is due, from its cadence, day and time.

Rules: the day and time are read in the workspace's default time zone (one round serves the whole
circle); weekly rounds are keyed by ISO week, biweekly by fortnight since a fixed Monday, monthly
by month on the first such weekday; a round missed while the bot was down still runs within a
day of its time, and never twice for one period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.model import Cadence, CircleSettings
from bot.weekly_hours import parse_clock_time, parse_day

GRACE = timedelta(days=1)
FORTNIGHT_EPOCH = date(2024, 1, 1)  # a Monday


def due_period(settings: CircleSettings, now: datetime, zone: ZoneInfo) -> str | None:
    """The period whose round is due now, or None when none is."""
    if settings.cadence is Cadence.OFF:
        return None
    local_today = now.astimezone(zone).date()
    period, day = _this_period(settings, local_today)
    minutes = parse_clock_time(settings.time)
    scheduled = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return period if scheduled <= now < scheduled + GRACE else None


def _this_period(settings: CircleSettings, today: date) -> tuple[str, date]:
    weekday = parse_day(settings.day)
    monday = today - timedelta(days=today.weekday())
    if settings.cadence is Cadence.WEEKLY:
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}", monday + timedelta(days=weekday)
    if settings.cadence is Cadence.BIWEEKLY:
        fortnight = (monday - FORTNIGHT_EPOCH).days // 14
        start = FORTNIGHT_EPOCH + timedelta(days=14 * fortnight)
        return f"fortnight-{fortnight}", start + timedelta(days=weekday)
    first = today.replace(day=1)
    return f"{today:%Y-%m}", first + timedelta(days=(weekday - first.weekday()) % 7)

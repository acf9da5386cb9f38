"""Times as each member reads them: in their own time zone (or the workspace default)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.model import NewMember
from bot.kernel.settings import CoreSettings


def zone_of(member: NewMember, settings: CoreSettings) -> ZoneInfo:
    return ZoneInfo(member.profile.timezone or settings.default_timezone)


def workspace_zone(settings: CoreSettings) -> ZoneInfo:
    """The zone for what many people read at once (a moderators' digest, a round's time)."""
    return ZoneInfo(settings.default_timezone)


def shown(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """`Fri 6 Mar, 10:00`: short enough for a phone; `Wed 3 Mar 2027, 00:00` when `now` is
    given and the moment falls in another year than now (both in the reader's zone)."""
    local = moment.astimezone(zone)
    return f"{shown_day(moment, zone, now)}, {local:%H:%M}"


def shown_day(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """`Fri 6 Mar`, with the year when `now` is given and is in another year."""
    local = moment.astimezone(zone)
    year = f" {local.year}" if now is not None and now.astimezone(zone).year != local.year else ""
    return f"{local:%a} {local.day} {local:%b}{year}"


def example_day(now: datetime, days_ahead: int) -> str:
    """An ISO date `days_ahead` from now, for examples in replies (never one in the past)."""
    return (now + timedelta(days=days_ahead)).date().isoformat()


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the week containing `now`: the week free hours are read in."""
    midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    return midnight - timedelta(days=now.weekday())

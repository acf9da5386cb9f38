"""Reading `/pause` as people type it: `2w`, `10d`, `until YYYY-MM-DD` (or the date alone), or
`off`.

Rules: a pause ends at a moment in the future; `until <date>`, or the date alone, means back at
the start of that day in the member's own time zone; at most a year ahead.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.kernel.command_refs import command_ref
from bot.kernel.durations import MAX_DURATION, DurationError, parse_duration
from bot.kernel.errors import UserError
from bot.kernel.local_time import example_day, start_of_day
from bot.kernel.text import neutralise

_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
"""A date as `until` takes it, typed on its own (`2027-01-10`)."""


def usage(now: datetime) -> str:
    """How to type /pause, with an example date a month ahead."""
    dated = command_ref(f"/pause until {example_day(now, 30)}")
    return f"Use {command_ref('/pause 2w')}, {dated}, or {command_ref('/pause off')}."


def pause_end(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When the pause ends, or None for `off`."""
    words = text.strip().split()
    if [w.lower() for w in words] == ["off"]:
        return None
    if words and words[0].lower() == "until":
        if len(words) != 2:
            raise UserError(f"Give one date after 'until'. {usage(now)}")
        return _until(words[1], now, zone)
    if len(words) == 1 and _DAY.match(words[0]):
        return _until(words[0], now, zone)
    try:
        return now + parse_duration(text)
    except DurationError as e:
        raise UserError(f"{e} {usage(now)}") from None


def _until(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError(f"'{neutralise(text, 20)}' is not a date. {usage(now)}") from None
    end = start_of_day(day, zone)
    if end <= now:
        raise UserError(f"{day.isoformat()} has already begun; give a later date. {usage(now)}")
    if end - now > MAX_DURATION:
        raise UserError(f"A pause lasts at most a year. {usage(now)}")
    return end

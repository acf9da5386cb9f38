"""Durations as people type them: `30m`, `3h`, `7d`, `2w`, or combined like `1d12h`."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)([mhdw])")
_WHOLE = re.compile(r"^(\d+[mhdw])+$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_DURATION = timedelta(days=366)


class DurationError(ValueError):
    """Not a duration; the message shows the forms that are."""


def parse_duration(text: str) -> timedelta:
    compact = text.strip().lower().replace(" ", "")
    if not _WHOLE.match(compact):
        raise DurationError(
            f"'{text}' is not a duration; use a number and m, h, d or w, e.g. 3h, 7d or 2w."
        )
    total = timedelta()
    for amount, unit in _PART.findall(compact):
        if len(amount) > 6:
            raise DurationError("A duration is at most a year.")
        total += timedelta(**{_UNITS[unit]: int(amount)})
    if not timedelta() < total <= MAX_DURATION:
        raise DurationError("A duration is more than nothing and at most a year.")
    return total

"""Time zones as people type them (a member's, a workspace's): an IANA name, or a city or a
near miss that gets suggestions (`/profile set timezone new york` is refused with "Did you mean
America/New_York?").
"""

from __future__ import annotations

import difflib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.kernel.errors import UserError
from bot.kernel.text import neutralise


def check_timezone(name: str) -> str:
    """An IANA zone name such as Europe/Berlin; a city or a near miss gets suggestions."""
    name = name.strip()
    try:
        if "/" in name or name == "UTC":
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    close = zone_suggestions(name)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise UserError(
        f"'{neutralise(name, 50)}' is not a time zone I know.{hint} "
        "Use an IANA name such as Europe/Berlin "
        "or America/Chicago."
    )


MAX_ZONE_SUGGESTIONS = 3
_REGIONS = frozenset(
    [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
)


def zone_suggestions(typed: str) -> list[str]:
    """Zones named by what was typed, at most three: those whose whole name or last part (the
    city) it is, in any case and with spaces for _ ("new york": America/New_York), the
    continents' names before the old aliases; otherwise the one nearest in spelling."""
    key = "_".join(typed.split()).lower()
    zones = [z for z in available_timezones() if not z.startswith(("posix/", "right/"))]
    named = [z for z in zones if key in (z.lower(), z.rsplit("/", 1)[-1].lower())]
    if named:
        named.sort(key=lambda z: (z.split("/")[0] not in _REGIONS, z))
        return named[:MAX_ZONE_SUGGESTIONS]
    return difflib.get_close_matches(typed, sorted(zones), n=1, cutoff=0.7)

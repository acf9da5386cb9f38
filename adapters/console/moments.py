"""`/advance until ...` as people type it: the next moment on the console's clock (UTC).

Rules: `until mon 09:00` is the next Monday at 09:00 strictly after now (a week on if it is that
moment already); the time defaults to 00:00; `until 2026-03-09 09:00` is that moment, which must
lie ahead. Weekday names are the first three letters or the whole word.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.kernel.weekly_hours import DAYS

USAGE = "Use /advance 3h, /advance 7d, /advance until mon 09:00 or /advance until 2026-03-09 09:00."


class MomentError(ValueError):
    """Not a moment ahead; the message says what is."""


def moment_after(text: str, now: datetime) -> datetime:
    """The moment `text` names, after `now` (an aware UTC datetime)."""
    words = text.split()
    if not 1 <= len(words) <= 2:
        raise MomentError(f"Say a day and a time after 'until'. {USAGE}")
    at = _time(words[1]) if len(words) == 2 else time()
    day = words[0].lower()
    weekday = next((i for i, name in enumerate(DAYS) if day in (name, _FULL[i])), None)
    if weekday is not None:
        days_ahead = (weekday - now.weekday()) % 7
        moment = datetime.combine(now.date() + timedelta(days=days_ahead), at, UTC)
        return moment if moment > now else moment + timedelta(weeks=1)
    try:
        moment = datetime.combine(date.fromisoformat(words[0]), at, UTC)
    except ValueError:
        raise MomentError(f"'{words[0][:20]}' is not a day or a date. {USAGE}") from None
    if moment <= now:
        raise MomentError(f"{moment:%Y-%m-%d %H:%M} has passed; the clock only moves forward.")
    return moment


_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _time(text: str) -> time:
    try:
        return time.fromisoformat(text.zfill(5))
    except ValueError:
        raise MomentError(f"'{text[:10]}' is not a time like 09:00. {USAGE}") from None

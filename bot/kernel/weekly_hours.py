"""Times of day and weekly free hours, as people type them: `mon-fri 16:00-19:00; sat 10:00-12:00`.

Rules:
- a time is `HH:MM` on a 24-hour clock; `24:00` may end a range;
- days are `mon`..`sun`, a range `mon-fri` or a list `mon,wed,fri`;
- free-hours ranges end after they start (split one that crosses midnight in two);
- a daily window such as quiet hours may cross midnight (`21:00-08:00`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MAX_SLOTS = 21  # three ranges a day; keeps the stored text well under its column

_FULL_DAY_NAMES = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def _short(text: str) -> str:
    """What was typed, cut short enough to quote back."""
    return text if len(text) <= 30 else text[:29] + "…"


class TimeFormatError(ValueError):
    """A time, day or range that does not read; the message says what was expected."""


def parse_clock_time(text: str, *, allow_24: bool = False) -> int:
    """Minutes after midnight for `HH:MM`; `24:00` only where a range may end."""
    match = _TIME.match(text.strip())
    if not match:
        raise TimeFormatError(
            f"'{_short(text)}' is not a time; use HH:MM on a 24-hour clock, e.g. 17:30"
        )
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and (minutes or not allow_24):
        raise TimeFormatError(f"'{_short(text)}' is not a time of day; use 00:00 to 23:59")
    return hours * 60 + minutes


def format_clock_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_day(text: str) -> int:
    """Index of a day (mon=0) from its three-letter or full English name."""
    key = text.strip().lower()
    for index, day in enumerate(DAYS):
        if key == day or key == _FULL_DAY_NAMES[index]:
            return index
    raise TimeFormatError(f"'{_short(text)}' is not a day; use one of {', '.join(DAYS)}")


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, last = (parse_day(p) for p in part.split("-", 1))
            if last < first:
                raise TimeFormatError(f"'{_short(part)}' runs backwards; write it as e.g. mon-fri")
            days.extend(range(first, last + 1))
        else:
            days.append(parse_day(part))
    return sorted(set(days))


@dataclass(frozen=True, order=True)
class Slot:
    """Free time on one day of the week, in the member's own time zone."""

    day: int
    start: int
    end: int


@dataclass(frozen=True)
class WeeklyHours:
    slots: tuple[Slot, ...] = ()

    @classmethod
    def parse(cls, text: str) -> WeeklyHours:
        """Read `mon-fri 16:00-19:00; sat 10:00-12:00`. Overlapping ranges on one day are merged."""
        slots: list[Slot] = []
        for segment in filter(None, (s.strip() for s in text.split(";"))):
            parts = segment.split()
            if len(parts) != 2 or "-" not in parts[1]:
                raise TimeFormatError(
                    f"'{_short(segment)}' does not read; write days then a time range, "
                    "e.g. mon-fri 16:00-19:00"
                )
            start_text, end_text = parts[1].split("-", 1)
            start = parse_clock_time(start_text)
            end = parse_clock_time(end_text, allow_24=True)
            if end <= start:
                raise TimeFormatError(
                    f"'{_short(parts[1])}' ends before it starts; "
                    "split a range that crosses midnight, "
                    "e.g. fri 22:00-24:00; sat 00:00-01:00"
                )
            slots.extend(Slot(day, start, end) for day in _parse_days(parts[0]))
        if not slots:
            raise TimeFormatError("no hours given; e.g. mon-fri 16:00-19:00")
        merged = _merge(slots)
        if len(merged) > MAX_SLOTS:
            raise TimeFormatError(f"that is more than {MAX_SLOTS} separate ranges; merge some")
        return cls(merged)

    @classmethod
    def from_slots(cls, slots: list[Slot]) -> WeeklyHours:
        return cls(_merge(slots))

    def __str__(self) -> str:
        """The canonical text: days with the same ranges grouped, e.g. `mon-fri 16:00-19:00`."""
        by_range: dict[tuple[int, int], list[int]] = {}
        for slot in self.slots:
            by_range.setdefault((slot.start, slot.end), []).append(slot.day)
        parts = [
            f"{_format_days(days)} {format_clock_time(start)}-{format_clock_time(end)}"
            for (start, end), days in sorted(by_range.items(), key=lambda kv: (kv[1][0], kv[0]))
        ]
        return "; ".join(parts)


def _merge(slots: list[Slot]) -> tuple[Slot, ...]:
    merged: list[Slot] = []
    for slot in sorted(slots):
        last = merged[-1] if merged else None
        if last and last.day == slot.day and slot.start <= last.end:
            merged[-1] = Slot(last.day, last.start, max(last.end, slot.end))
        else:
            merged.append(slot)
    return tuple(merged)


def _format_days(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAYS[run[0]] if len(run) == 1 else f"{DAYS[run[0]]}-{DAYS[run[-1]]}" for run in runs
    )


@dataclass(frozen=True)
class DailyWindow:
    """A window every day, such as quiet hours; it may cross midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> DailyWindow:
        if "-" not in text:
            raise TimeFormatError(f"'{_short(text)}' is not a range; e.g. 21:00-08:00")
        start_text, end_text = text.strip().split("-", 1)
        start = parse_clock_time(start_text)
        end = parse_clock_time(end_text, allow_24=True) % MINUTES_PER_DAY
        if start == end:
            raise TimeFormatError("the window is empty or all day; give different start and end")
        return cls(start, end)

    @property
    def minutes(self) -> int:
        return (self.end - self.start) % MINUTES_PER_DAY

    def contains(self, minute_of_day: int) -> bool:
        if self.start < self.end:
            return self.start <= minute_of_day < self.end
        return minute_of_day >= self.start or minute_of_day < self.end

    def __str__(self) -> str:
        return f"{format_clock_time(self.start)}-{format_clock_time(self.end)}"

"""The time, as the core reads it (`Clock`).

Rule: nothing in bot/ calls `datetime.now()`; it asks a Clock, so tests and the console can
pin and move time."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...

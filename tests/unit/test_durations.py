"""Durations as members type them (`/pause 2w`): absurd ones are refused with a plain answer."""

from __future__ import annotations

import pytest

from bot.kernel.durations import DurationError, parse_duration


def test_absurd_durations_are_refused_plainly() -> None:
    with pytest.raises(DurationError):
        parse_duration("99999999999999999999w")

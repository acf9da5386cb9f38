"""`/advance until ...`: the next such moment on the console's clock, never one in the past."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.console.moments import MomentError, moment_after

THURSDAY = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon 09:00", datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),
        ("Monday 9:00", datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),
        ("thu 11:00", datetime(2026, 3, 5, 11, 0, tzinfo=UTC)),
        ("thu 10:00", datetime(2026, 3, 12, 10, 0, tzinfo=UTC)),  # now is not "next"
        ("fri", datetime(2026, 3, 6, 0, 0, tzinfo=UTC)),
        ("2026-03-20 08:30", datetime(2026, 3, 20, 8, 30, tzinfo=UTC)),
    ],
)
def test_until_moves_to_the_next_such_moment(text: str, expected: datetime) -> None:
    assert moment_after(text, THURSDAY) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-03-01 09:00", "has passed"),
        ("someday", "'someday' is not a day or a date"),
        ("mon 25:00", "'25:00' is not a time"),
        ("", "Say a day and a time"),
    ],
)
def test_a_moment_that_is_not_ahead_says_what_to_type(text: str, says: str) -> None:
    with pytest.raises(MomentError, match=says) as raised:
        moment_after(text, THURSDAY)
    assert "/advance until mon 09:00" in str(raised.value) or "forward" in str(raised.value)

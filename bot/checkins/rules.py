"""Who owes which check-in, and when they are reminded.

Rules:
- a circle takes check-ins while it has a cadence, is not archived and its audience is not nobody;
- a circle's check-ins go to its mentors, or to every member with `checkin-audience everyone`;
- a member owes the check-in of a period when its moment, read in their own zone, has come, is no
  earlier than their joining or the circle's last schedule change, and is not on a blackout date;
- the window for answering and editing runs `window_days` from that moment;
- reminders (at most `reminders`) are spread evenly over what is left of the window after the
  prompt, never after it closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.kernel.cadence import Period
from bot.kernel.model import (
    Blackout,
    Cadence,
    Checkin,
    CheckinAudience,
    Circle,
    CircleRole,
    Membership,
    NewCheckin,
)
from bot.kernel.settings import CoreSettings


def takes_checkins(circle: Circle) -> bool:
    """A circle with a cadence, not archived, whose check-ins go to someone."""
    return (
        circle.settings.cadence is not Cadence.OFF
        and circle.archived_at is None
        and circle.settings.checkin_audience is not CheckinAudience.NOBODY
    )


def in_audience(circle: Circle, membership: Membership) -> bool:
    audience = circle.settings.checkin_audience
    if audience is CheckinAudience.EVERYONE:
        return True
    return audience is CheckinAudience.MENTORS and membership.role is CircleRole.MENTOR


def owed_periods(
    circle: Circle,
    membership: Membership,
    recent: Sequence[Period],
    holidays: Sequence[Blackout],
) -> list[Period]:
    """Which of the circle's `recent` periods (read in this member's zone) the member owes."""
    since = max(
        (t for t in (membership.joined_at, circle.schedule_since, circle.created_at) if t),
        default=None,
    )
    return [
        period
        for period in recent
        if (since is None or period.moment >= since)
        and not any(b.covers(period.moment.date()) for b in holidays)
    ]


def closes_at(period: Period, settings: CoreSettings) -> datetime:
    return period.moment + timedelta(days=settings.checkins.window_days)


def first_reminder(checkin: NewCheckin, settings: CoreSettings) -> datetime | None:
    assert checkin.prompted_at is not None
    return _reminder(checkin, settings, 1, checkin.prompted_at)


def next_reminder(checkin: Checkin, settings: CoreSettings, now: datetime) -> datetime | None:
    """After a reminder went out at `now`: when the next one is due, or None."""
    assert checkin.prompted_at is not None
    return _reminder(checkin, settings, checkin.reminders_sent + 1, now)


def _reminder(
    checkin: NewCheckin, settings: CoreSettings, number: int, not_before: datetime
) -> datetime | None:
    count = settings.checkins.reminders
    if number > count:
        return None
    assert checkin.prompted_at is not None
    gap = (checkin.closes_at - checkin.prompted_at) / (count + 1)
    at = max(checkin.prompted_at + number * gap, not_before + gap / 2)
    return at if at < checkin.closes_at else None

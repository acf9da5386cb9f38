"""Check-ins that stop being owed: the member left or was taken out of the circle, or the circle
was archived.

Rule: an open, unanswered check-in of theirs is recorded as skipped with the reason, so no
reminder follows, the digest does not count it missing and it does not count towards "still in?".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.kernel.model import Checkin, CheckinStatus
from bot.kernel.ports import UnitOfWork

LEFT = "left the circle"
ARCHIVED = "circle archived"


async def withdraw_member(uow: UnitOfWork, circle_id: int, member_id: int, now: datetime) -> None:
    mine = [c for c in await uow.checkins.latest_of(member_id) if c.circle.id == circle_id]
    await _skip(uow, mine, now, LEFT)


async def withdraw_circle(uow: UnitOfWork, circle_id: int, now: datetime) -> None:
    period = await uow.checkins.latest_period(circle_id)
    if period is not None:
        await _skip(uow, await uow.checkins.of_period(circle_id, period), now, ARCHIVED)


async def _skip(uow: UnitOfWork, checkins: Iterable[Checkin], now: datetime, reason: str) -> None:
    for checkin in checkins:
        if checkin.status is CheckinStatus.OPEN and not checkin.is_closed(now):
            checkin.status, checkin.skip_reason, checkin.remind_at = (
                CheckinStatus.SKIPPED,
                reason,
                None,
            )
            await uow.checkins.save(checkin)

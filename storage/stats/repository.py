"""The raw facts behind /stats over one AsyncSession.

Rules:
- every query keeps to one workspace; with a circle, to what is recorded for that circle
  (pairings, check-ins, flags and kudos by their `circle_id`, people by their membership);
- timestamps come back as they are stored and are put in weeks by the core, so no date function
  of either database is used;
- a pairing's meeting is the earliest "met" answer among its seats; revoked kudos never count;
- a rating of a meeting is counted at the moment it was last given, in its pairing's circle;
- a buddy request counts as waiting while its status says so and its time has not run out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.kernel.model import CheckinStatus, MeetingAnswer, RequestStatus, WorkspaceRef
from bot.stats.ports import CheckinFact, RatingFact
from storage.buddies.tables import BuddyRequestRow, PairingRow, SeatRow
from storage.checkins.tables import CheckinRow
from storage.circles.tables import MembershipRow
from storage.feedback.tables import MeetingRatingRow
from storage.flags.tables import FlagRow
from storage.kudos.tables import KudosRow
from storage.members.tables import MemberRow
from storage.queries import of_workspace


def _of_circle(table: Any, circle_id: int | None) -> ColumnElement[bool] | bool:
    return True if circle_id is None else col(table.circle_id) == circle_id


def _members_of(column: Any, circle_id: int | None) -> ColumnElement[bool] | bool:
    if circle_id is None:
        return True
    members = select(MembershipRow.member_id).where(MembershipRow.circle_id == circle_id)
    return col(column).in_(members)


class SqlStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _times(self, statement: SelectOfScalar[Any]) -> list[datetime]:
        return list((await self._session.execute(statement)).scalars())

    async def _count(self, statement: SelectOfScalar[int]) -> int:
        return (await self._session.execute(statement)).scalar_one()

    async def pairings_started(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        return await self._times(
            select(PairingRow.created_at).where(
                of_workspace(PairingRow, workspace),
                _of_circle(PairingRow, circle_id),
                col(PairingRow.created_at) >= since,
            )
        )

    async def first_meetings(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        first = func.min(SeatRow.answered_at)
        return await self._times(
            select(first)
            .select_from(SeatRow)
            .join(PairingRow, col(PairingRow.id) == col(SeatRow.pairing_id))
            .where(
                of_workspace(PairingRow, workspace),
                _of_circle(PairingRow, circle_id),
                col(SeatRow.answer) == MeetingAnswer.MET.value,
                col(SeatRow.answered_at).is_not(None),
            )
            .group_by(col(SeatRow.pairing_id))
            .having(first >= since)
        )

    async def checkins(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[CheckinFact]:
        rows = await self._session.execute(
            select(CheckinRow.scheduled_at, CheckinRow.status, CheckinRow.prompted_at).where(
                of_workspace(CheckinRow, workspace),
                _of_circle(CheckinRow, circle_id),
                col(CheckinRow.scheduled_at) >= since,
            )
        )
        return [
            CheckinFact(scheduled_at, CheckinStatus(status), prompted_at is not None)
            for scheduled_at, status, prompted_at in rows
        ]

    async def concerns_raised(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        return await self._times(
            select(FlagRow.created_at).where(
                of_workspace(FlagRow, workspace),
                _of_circle(FlagRow, circle_id),
                col(FlagRow.created_at) >= since,
            )
        )

    async def kudos_given(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        return await self._times(
            select(KudosRow.created_at).where(
                of_workspace(KudosRow, workspace),
                _of_circle(KudosRow, circle_id),
                col(KudosRow.revoked_at).is_(None),
                col(KudosRow.created_at) >= since,
            )
        )

    async def ratings(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[RatingFact]:
        rows = await self._session.execute(
            select(
                MeetingRatingRow.rated_at, MeetingRatingRow.rater_id, MeetingRatingRow.score
            ).where(
                of_workspace(MeetingRatingRow, workspace),
                _of_circle(MeetingRatingRow, circle_id),
                col(MeetingRatingRow.rated_at) >= since,
            )
        )
        return [RatingFact(rated_at, rater_id, score) for rated_at, rater_id, score in rows]

    async def waiting_count(
        self, workspace: WorkspaceRef, circle_id: int | None, now: datetime
    ) -> int:
        return await self._count(
            select(func.count())
            .select_from(BuddyRequestRow)
            .where(
                of_workspace(BuddyRequestRow, workspace),
                col(BuddyRequestRow.status) == RequestStatus.WAITING.value,
                col(BuddyRequestRow.expires_at) > now,
                _members_of(BuddyRequestRow.member_id, circle_id),
            )
        )

    async def unreachable_count(self, workspace: WorkspaceRef, circle_id: int | None) -> int:
        return await self._count(
            select(func.count())
            .select_from(MemberRow)
            .where(
                of_workspace(MemberRow, workspace),
                col(MemberRow.unreachable_since).is_not(None),
                _members_of(MemberRow.id, circle_id),
            )
        )

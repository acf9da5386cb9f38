"""The members of each workspace over one AsyncSession.

Rules:
- a member is found by their workspace and user id, or by ids that came from one workspace;
- two first commands of one person at once both succeed: the second add finds the first's row
  (INSERT ... ON CONFLICT DO NOTHING) instead of failing;
- on PostgreSQL the "still in?" job's scan locks the members it returns and skips those another
  transaction holds, so two instances never settle the same member.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.kernel.model import Member, MemberRef, NewMember, WorkspaceRef
from bot.kernel.ports import Clock
from storage.members.mapping import member_from_row, member_to_row
from storage.members.tables import MemberRow
from storage.queries import insert_or_nothing, of_workspace
from storage.saved import saved


class SqlMemberRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def get(self, ref: MemberRef) -> Member | None:
        row = (
            await self._session.execute(
                select(MemberRow).where(
                    of_workspace(MemberRow, ref.workspace),
                    MemberRow.user_id == ref.user_id,
                )
            )
        ).scalar_one_or_none()
        return member_from_row(row) if row else None

    async def add(self, member: NewMember) -> Member:
        """Add a new member; when a concurrent transaction added the same person first, that
        member is returned instead, so two first commands at once both succeed."""
        now = self._clock.now()
        ref = member.ref
        row = MemberRow(
            platform=ref.platform,
            workspace_id=ref.workspace_id,
            user_id=ref.user_id,
            display_name=member.display_name,
            created_at=now,
            updated_at=now,
        )
        member_to_row(member, row, now)
        values = row.model_dump(exclude={"id"})
        unique = ["platform", "workspace_id", "user_id"]
        statement = insert_or_nothing(self._session, MemberRow, values, unique)
        new_id = (await self._session.execute(statement.returning(col(MemberRow.id)))).scalar()
        if new_id is None:
            # Their first two requests raced (two instances, or two clicks): the other won.
            existing = await self.get(ref)
            assert existing is not None
            return existing
        return saved(Member, member, new_id)

    async def save(self, member: Member) -> None:
        row = await self._session.get_one(MemberRow, member.id)
        member_to_row(member, row, self._clock.now())

    async def by_ids(self, member_ids: Collection[int]) -> list[Member]:
        """The members that exist among these ids, by id."""
        if not member_ids:
            return []
        rows = (
            await self._session.execute(
                select(MemberRow)
                .where(col(MemberRow.id).in_(list(member_ids)))
                .order_by(col(MemberRow.id))
            )
        ).scalars()
        return [member_from_row(row) for row in rows]

    async def moderators(self, workspace: WorkspaceRef) -> list[Member]:
        rows = (
            await self._session.execute(
                select(MemberRow)
                .where(
                    of_workspace(MemberRow, workspace),
                    col(MemberRow.is_moderator),
                )
                .order_by(col(MemberRow.id))
            )
        ).scalars()
        return [member_from_row(row) for row in rows]

    async def still_in_unanswered(self, asked_before: datetime, limit: int) -> list[Member]:
        """Oldest question first. On PostgreSQL the members returned stay locked until the
        transaction ends and members locked by another transaction are skipped, so two instances
        running the job never both settle the same member."""
        rows = (
            await self._session.execute(
                select(MemberRow)
                .where(
                    col(MemberRow.still_in_asked_at).is_not(None),
                    col(MemberRow.still_in_asked_at) <= asked_before,
                )
                .order_by(col(MemberRow.still_in_asked_at), col(MemberRow.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
        ).scalars()
        return [member_from_row(row) for row in rows]

"""Circles and their memberships over one AsyncSession.

Rules:
- a circle is found by id, or by its name within one workspace whatever the case;
- a membership is read with its member, in one query (a join, never a lazy load); a circle's
  memberships come in the order people joined.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select

from bot.kernel.model import Cadence, Circle, Membership, NewCircle, NewMembership, WorkspaceRef
from storage.circles.mapping import (
    circle_from_row,
    circle_to_row,
    membership_from_rows,
    membership_to_row,
)
from storage.circles.tables import CircleRow, MembershipRow
from storage.members.tables import MemberRow
from storage.queries import SessionRepository, of_workspace
from storage.saved import row_id, saved


class SqlCircleRepository(SessionRepository):
    async def get(self, circle_id: int) -> Circle | None:
        row = await self._session.get(CircleRow, circle_id)
        return circle_from_row(row) if row else None

    async def with_cadence(self) -> list[Circle]:
        rows = (
            await self._session.execute(
                select(CircleRow)
                .where(
                    col(CircleRow.cadence) != Cadence.OFF.value,
                    col(CircleRow.archived_at).is_(None),
                )
                .order_by(col(CircleRow.id))
            )
        ).scalars()
        return [circle_from_row(row) for row in rows]

    async def get_by_name(self, workspace: WorkspaceRef, name: str) -> Circle | None:
        row = (
            await self._session.execute(
                select(CircleRow).where(
                    of_workspace(CircleRow, workspace),
                    CircleRow.name_key == name.lower(),
                )
            )
        ).scalar_one_or_none()
        return circle_from_row(row) if row else None

    async def in_workspace(self, workspace: WorkspaceRef) -> list[Circle]:
        rows = (
            await self._session.execute(
                select(CircleRow)
                .where(
                    of_workspace(CircleRow, workspace),
                )
                .order_by(col(CircleRow.name_key))
            )
        ).scalars()
        return [circle_from_row(row) for row in rows]

    async def add(self, circle: NewCircle) -> Circle:
        assert circle.created_at is not None
        workspace = circle.workspace
        row = CircleRow(
            platform=workspace.platform,
            workspace_id=workspace.workspace_id,
            name=circle.name,
            name_key=circle.name.lower(),
            created_at=circle.created_at,
        )
        circle_to_row(circle, row)
        self._session.add(row)
        await self._session.flush()
        return saved(Circle, circle, row_id(row))

    async def save(self, circle: Circle) -> None:
        circle_to_row(circle, await self._session.get_one(CircleRow, circle.id))

    async def memberships(self, circle_id: int) -> list[Membership]:
        rows = await self._session.execute(
            select(MembershipRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(MembershipRow.member_id))
            .where(MembershipRow.circle_id == circle_id)
            .order_by(col(MembershipRow.joined_at), col(MembershipRow.id))
        )
        return [membership_from_rows(m, member) for m, member in rows]

    async def membership(self, circle_id: int, member_id: int) -> Membership | None:
        found = (
            await self._session.execute(
                select(MembershipRow, MemberRow)
                .join(MemberRow, col(MemberRow.id) == col(MembershipRow.member_id))
                .where(MembershipRow.circle_id == circle_id, MembershipRow.member_id == member_id)
            )
        ).first()
        return membership_from_rows(found[0], found[1]) if found else None

    async def add_membership(self, membership: NewMembership) -> Membership:
        assert membership.joined_at is not None
        row = MembershipRow(
            circle_id=membership.circle_id,
            member_id=membership.member.id,
            role=membership.role.value,
            facilitator=membership.facilitator,
            joined_at=membership.joined_at,
            sit_outs=membership.sit_outs,
        )
        self._session.add(row)
        await self._session.flush()
        return saved(Membership, membership, row_id(row))

    async def save_membership(self, membership: Membership) -> None:
        membership_to_row(membership, await self._session.get_one(MembershipRow, membership.id))

    async def remove_membership(self, membership: Membership) -> None:
        await self._session.delete(await self._session.get_one(MembershipRow, membership.id))

    async def member_counts(self, circle_ids: Collection[int]) -> dict[int, int]:
        rows = await self._session.execute(
            select(MembershipRow.circle_id, func.count())
            .where(col(MembershipRow.circle_id).in_(list(circle_ids)))
            .group_by(col(MembershipRow.circle_id))
        )
        return {circle_id: count for circle_id, count in rows}

    async def circle_ids_of(self, member_id: int) -> set[int]:
        rows = await self._session.execute(
            select(MembershipRow.circle_id).where(MembershipRow.member_id == member_id)
        )
        return set(rows.scalars())

    async def rounds_due(self, now: datetime, limit: int) -> list[tuple[Circle, datetime]]:
        """Circles whose round job should look at them by now, with when it was due, soonest
        first, read off ix_circles_round_due (none of an idle workspace is read)."""
        rows = await self._session.execute(
            select(CircleRow)
            .where(col(CircleRow.round_due_at) <= now)
            .order_by(col(CircleRow.round_due_at), col(CircleRow.id))
            .limit(limit)
        )
        return [(circle_from_row(row), _due(row.round_due_at)) for (row,) in rows]

    async def next_round_check(self, circle_id: int, was: datetime, at: datetime) -> None:
        """Look at the circle again at `at`, unless its schedule changed since it was read (then
        the new schedule's check stands)."""
        await self._session.execute(
            update(CircleRow)
            .where(col(CircleRow.id) == circle_id, col(CircleRow.round_due_at) == was)
            .values(round_due_at=at)
        )


def _due(at: datetime | None) -> datetime:
    if at is None:
        raise ValueError("a circle read as due has no due time")
    return at

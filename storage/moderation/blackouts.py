"""Workspace holidays (blackouts) over one AsyncSession. A blackout belongs to one workspace;
a workspace's come in order of their first day, then their last."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col, select

from bot.kernel.model import Blackout, NewBlackout, WorkspaceRef
from storage.moderation.mapping import blackout_from_row, blackout_to_row
from storage.moderation.tables import BlackoutRow
from storage.queries import SessionRepository, of_workspace
from storage.saved import row_id, saved


class SqlBlackoutRepository(SessionRepository):
    async def in_workspace(self, workspace: WorkspaceRef) -> list[Blackout]:
        rows = (
            await self._session.execute(
                select(BlackoutRow)
                .where(
                    of_workspace(BlackoutRow, workspace),
                )
                .order_by(
                    col(BlackoutRow.first_day), col(BlackoutRow.last_day), col(BlackoutRow.id)
                )
            )
        ).scalars()
        return [blackout_from_row(row) for row in rows]

    async def add(self, blackout: NewBlackout) -> Blackout:
        row = blackout_to_row(blackout)
        self._session.add(row)
        await self._session.flush()
        return saved(Blackout, blackout, row_id(row))

    async def remove(self, blackout_id: int) -> None:
        await self._session.execute(delete(BlackoutRow).where(col(BlackoutRow.id) == blackout_id))

"""The milestones members reached, over one AsyncSession.

Rule: a milestone is recorded once per member and kind: a second record is an INSERT ... ON
CONFLICT DO NOTHING that says it was not the first, never an error that would spoil the
surrounding transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import col

from bot.kernel.model import MilestoneKind
from storage.members.tables import MilestoneRow
from storage.queries import SessionRepository, insert_or_nothing


class SqlMilestoneRepository(SessionRepository):
    async def reach(self, member_id: int, kind: MilestoneKind, now: datetime) -> bool:
        values = {"member_id": member_id, "kind": kind.value, "reached_at": now}
        statement = insert_or_nothing(self._session, MilestoneRow, values, ["member_id", "kind"])
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def reach_all(
        self, member_ids: Collection[int], kind: MilestoneKind, now: datetime
    ) -> set[int]:
        if not member_ids:
            return set()
        rows = [{"member_id": m, "kind": kind.value, "reached_at": now} for m in member_ids]
        statement = insert_or_nothing(self._session, MilestoneRow, None, ["member_id", "kind"])
        added = await self._session.execute(statement.returning(col(MilestoneRow.member_id)), rows)
        return set(added.scalars())

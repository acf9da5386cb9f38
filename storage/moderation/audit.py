"""The audit trail of moderators' actions over one AsyncSession.

Rules:
- an entry belongs to one workspace; `recent` is newest first;
- each entry is read with its actor and whom it was about, named as they are now;
- an entry outlives its actor: when the actor's member row is deleted it comes back with no
  actor (named "(deleted)").
"""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import AuditEntry, NewAuditEntry, WorkspaceRef
from storage.members.tables import MemberRow
from storage.moderation.mapping import audit_entry_from_row, audit_entry_to_row
from storage.moderation.tables import AuditEntryRow
from storage.queries import SessionRepository, of_workspace


class SqlAuditRepository(SessionRepository):
    async def add(self, entry: NewAuditEntry) -> None:
        self._session.add(audit_entry_to_row(entry))
        await self._session.flush()

    async def recent(self, workspace: WorkspaceRef, limit: int) -> list[AuditEntry]:
        """Newest first."""
        actor, about = aliased(MemberRow), aliased(MemberRow)
        rows = await self._session.execute(
            select(AuditEntryRow, actor, about)
            .outerjoin(actor, col(actor.id) == col(AuditEntryRow.actor_id))
            .outerjoin(about, col(about.id) == col(AuditEntryRow.about_id))
            .where(of_workspace(AuditEntryRow, workspace))
            .order_by(col(AuditEntryRow.created_at).desc(), col(AuditEntryRow.id).desc())
            .limit(limit)
        )
        return [audit_entry_from_row(row, by, whom) for row, by, whom in rows]

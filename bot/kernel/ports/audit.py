"""The audit trail's store (`AuditRepository`): entries are added, never changed, and read
back one workspace at a time."""

from __future__ import annotations

from typing import Protocol

from bot.kernel.model import AuditEntry, NewAuditEntry, WorkspaceRef


class AuditRepository(Protocol):
    async def add(self, entry: NewAuditEntry) -> None: ...

    async def recent(self, workspace: WorkspaceRef, limit: int) -> list[AuditEntry]: ...

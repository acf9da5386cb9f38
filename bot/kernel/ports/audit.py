"""The audit trail's store (`AuditRepository`): entries are added, never changed, and read
back one workspace at a time."""

from __future__ import annotations

from typing import Protocol

from bot.kernel.model import AuditEntry, WorkspaceRef


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...

    async def recent(self, workspace: WorkspaceRef, limit: int) -> list[AuditEntry]: ...

"""The audit trail (`AuditEntry`): a moderator's action on someone else's data or standing.

Rule: an entry names the member it is about as they are now, so one about a member who erased
their data names a former member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


@dataclass(frozen=True)
class AuditEntry:
    """A moderator's action on someone else's data or standing, kept for the audit trail."""

    workspace: WorkspaceRef
    actor: Member
    action: str
    subject: str
    detail: str
    created_at: datetime
    id: int | None = None
    about: Member | None = None
    """The member the action was about, when it was about one; named as they are now, so an
    entry about someone who erased their data names a former member."""

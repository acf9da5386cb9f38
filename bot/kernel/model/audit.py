"""The audit trail: a moderator's action on someone else's data or standing, a `NewAuditEntry`
as it is recorded and an `AuditEntry` as it is read back, with the id storage gave it.

Rules: an entry names the member it is about as they are now, so one about a member who erased
their data names a former member; an entry outlives its actor's member row, and then names its
actor `(deleted)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member

DELETED = "(deleted)"
"""Who an entry names as its actor once the actor's member row was deleted."""


@dataclass(frozen=True)
class NewAuditEntry:
    """A moderator's action on someone else's data or standing, to keep for the audit trail."""

    workspace: WorkspaceRef
    actor: Member
    action: str
    subject: str
    detail: str
    created_at: datetime
    about: Member | None = None
    """The member the action was about, when it was about one."""


@dataclass(frozen=True)
class AuditEntry:
    """An entry of the audit trail as stored, with the id storage gave it."""

    workspace: WorkspaceRef
    actor: Member | None
    """Who acted; None once their member row was deleted (the entry outlives it)."""
    action: str
    subject: str
    detail: str
    created_at: datetime
    id: int
    about: Member | None = None
    """The member the action was about, when it was about one; named as they are now, so an
    entry about someone who erased their data names a former member."""

    @property
    def actor_name(self) -> str:
        """The actor's name as they are now, or `(deleted)` once their member row is gone."""
        return self.actor.display_name if self.actor is not None else DELETED

    def acted_by(self, member_id: int) -> bool:
        """Whether that member is the one who acted (never true once the actor is gone)."""
        return self.actor is not None and self.actor.id == member_id

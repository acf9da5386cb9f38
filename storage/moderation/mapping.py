"""Blackout and audit entry rows to the core's objects and back. A blackout's `first` and
`last` are stored as `first_day` and `last_day`; an audit entry's subject is cut to what its
column holds."""

from __future__ import annotations

from bot.kernel.model import AuditEntry, Blackout, Member, NewAuditEntry, NewBlackout, WorkspaceRef
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.moderation.tables import AuditEntryRow, BlackoutRow
from storage.saved import row_id

AUDIT_SUBJECT_LIMIT = 200


def blackout_from_row(row: BlackoutRow) -> Blackout:
    return Blackout(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        first=row.first_day,
        last=row.last_day,
        created_at=row.created_at,
        id=row_id(row),
    )


def blackout_to_row(blackout: NewBlackout) -> BlackoutRow:
    return BlackoutRow(
        platform=blackout.workspace.platform,
        workspace_id=blackout.workspace.workspace_id,
        first_day=blackout.first,
        last_day=blackout.last,
        created_at=blackout.created_at,
    )


def audit_entry_from_row(
    row: AuditEntryRow, actor: MemberRow | None, about: MemberRow | Member | None = None
) -> AuditEntry:
    """An actor whose member row was deleted comes back as None (the entry names them
    "(deleted)"). Whom it is about is left out unless given (read with the entry)."""
    return AuditEntry(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        actor=member_from_row(actor) if actor is not None else None,
        action=row.action,
        subject=row.subject,
        detail=row.detail,
        created_at=row.created_at,
        id=row_id(row),
        about=member_from_row(about) if isinstance(about, MemberRow) else about,
    )


def audit_entry_to_row(entry: NewAuditEntry) -> AuditEntryRow:
    return AuditEntryRow(
        platform=entry.workspace.platform,
        workspace_id=entry.workspace.workspace_id,
        actor_id=entry.actor.id,
        about_id=entry.about.id if entry.about is not None else None,
        action=entry.action,
        subject=entry.subject[:AUDIT_SUBJECT_LIMIT],
        detail=entry.detail,
        created_at=entry.created_at,
    )

"""Kudos rows to the core's kudos and back. The texts are cut to what their columns hold."""

from __future__ import annotations

from bot.kernel.model import Kudos, Member, NewKudos, WorkspaceRef
from storage.kudos.tables import KudosRow
from storage.saved import row_id

KUDOS_TEXT_LIMIT = 300
KUDOS_VALUE_LIMIT = 40


def kudos_from_row(
    row: KudosRow, giver: Member, recipient: Member, revoked_by: Member | None
) -> Kudos:
    return Kudos(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        giver=giver,
        recipient=recipient,
        reason=row.reason,
        created_at=row.created_at,
        dedupe_key=row.dedupe_key,
        value=row.value,
        circle_id=row.circle_id,
        revoked_at=row.revoked_at,
        revoked_by=revoked_by,
        revoke_reason=row.revoke_reason,
        id=row_id(row),
    )


def kudos_values(kudos: NewKudos) -> dict[str, object]:
    """The columns of a new kudos, for an INSERT ... ON CONFLICT (plain values, no model). The
    texts are cut to what their columns hold."""
    return {
        "platform": kudos.workspace.platform,
        "workspace_id": kudos.workspace.workspace_id,
        "giver_id": kudos.giver.id,
        "recipient_id": kudos.recipient.id,
        "reason": kudos.reason[:KUDOS_TEXT_LIMIT],
        "value": kudos.value[:KUDOS_VALUE_LIMIT] if kudos.value is not None else None,
        "circle_id": kudos.circle_id,
        "created_at": kudos.created_at,
        "dedupe_key": kudos.dedupe_key,
        **_revocation(kudos),
    }


def kudos_to_row(kudos: NewKudos, row: KudosRow) -> None:
    """What a kudos may change after it is given: its revocation."""
    for column, value in _revocation(kudos).items():
        setattr(row, column, value)


def _revocation(kudos: NewKudos) -> dict[str, object]:
    revoked_by = kudos.revoked_by.id if kudos.revoked_by is not None else None
    return {
        "revoked_at": kudos.revoked_at,
        "revoked_by_id": revoked_by,
        "revoke_reason": kudos.revoke_reason[:KUDOS_TEXT_LIMIT],
    }

"""Flag rows to the core's flags and back."""

from __future__ import annotations

from bot.kernel.model import Flag, Member, NewFlag, WorkspaceRef
from storage.flags.tables import FlagRow
from storage.saved import row_id


def flag_from_row(row: FlagRow, member: Member) -> Flag:
    """The flag in `row`, raised by a member already read."""
    return Flag(
        WorkspaceRef(row.platform, row.workspace_id),
        member,
        row.text,
        row.created_at,
        row.circle_id,
        row.checkin_id,
        id=row_id(row),
    )


def flag_to_row(flag: NewFlag) -> FlagRow:
    return FlagRow(
        platform=flag.workspace.platform,
        workspace_id=flag.workspace.workspace_id,
        member_id=flag.member.id,
        circle_id=flag.circle_id,
        checkin_id=flag.checkin_id,
        text=flag.text,
        created_at=flag.created_at,
    )

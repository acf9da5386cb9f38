"""A concern for the moderators (`Flag`), raised by /flag or by a check-in answer; a `NewFlag`
until storage keeps it.

Rule: a flag belongs to one workspace and is kept only as long as the retention period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


@dataclass
class NewFlag:
    """A concern for the moderators: from /flag, or a check-in answer marked as a concern. All
    a flag is but its id."""

    workspace: WorkspaceRef
    member: Member
    text: str
    created_at: datetime
    circle_id: int | None = None
    checkin_id: int | None = None


@dataclass
class Flag(NewFlag):
    """A flag as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)

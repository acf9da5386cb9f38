"""A concern for the moderators (`Flag`), raised by /flag or by a check-in answer.

Rule: a flag belongs to one workspace and is kept only as long as the retention period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


@dataclass
class Flag:
    """A concern for the moderators: from /flag, or a check-in answer marked as a concern."""

    workspace: WorkspaceRef
    member: Member
    text: str
    created_at: datetime
    circle_id: int | None = None
    checkin_id: int | None = None
    id: int | None = None

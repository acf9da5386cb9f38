"""Workspace holidays (`Blackout`): days on which no round and no check-in prompt falls.

Rule: `first` to `last` inclusive, read in each member's own calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.kernel.model.identity import WorkspaceRef


@dataclass
class Blackout:
    """Workspace holidays, `first` to `last` inclusive, in each member's own calendar: no rounds
    and no check-in prompts fall on them."""

    workspace: WorkspaceRef
    first: date
    last: date
    created_at: datetime
    id: int | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

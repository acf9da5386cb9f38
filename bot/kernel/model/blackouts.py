"""Workspace holidays (`Blackout`): days on which no round and no check-in prompt falls; a
`NewBlackout` until storage keeps it.

Rule: `first` to `last` inclusive, read in each member's own calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.kernel.model.identity import WorkspaceRef


@dataclass
class NewBlackout:
    """Workspace holidays, `first` to `last` inclusive, in each member's own calendar: no rounds
    and no check-in prompts fall on them. All a blackout is but its id."""

    workspace: WorkspaceRef
    first: date
    last: date
    created_at: datetime

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass
class Blackout(NewBlackout):
    """A blackout as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)

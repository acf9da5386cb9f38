"""Recording milestones (`MilestoneRepository`): each is reached once per member, whatever
races."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.kernel.model import MilestoneKind


class MilestoneRepository(Protocol):
    async def reach(self, member_id: int, kind: MilestoneKind, now: datetime) -> bool:
        """Record it; False when the member had reached it before (whatever races)."""
        ...

    async def reach_all(
        self, member_ids: Collection[int], kind: MilestoneKind, now: datetime
    ) -> set[int]:
        """Record it for each of them, in one statement: those who reached it just now."""
        ...

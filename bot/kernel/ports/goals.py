"""Storing members' goals and their progress notes (`GoalRepository`).

Rules: a member's goals are read by their id (one workspace); the due job alone reads across
workspaces; `counts` gives numbers, never texts; reads give each goal with its notes, oldest
first."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Goal, GoalNote, NewGoal, WorkspaceRef


class GoalRepository(Protocol):
    async def add(self, goal: NewGoal) -> Goal:
        """Store it; the goal as stored, with its id."""
        ...

    async def save(self, goal: Goal) -> None:
        """Store its status, when it closed and when its owner was asked about its date."""
        ...

    async def get(self, goal_id: int) -> Goal | None: ...

    async def open_of(self, member_id: int) -> list[Goal]:
        """The member's open goals, oldest first: as /goal list numbers them."""
        ...

    async def owners_in(self, workspace: WorkspaceRef) -> set[int]:
        """The members of the workspace with an open goal (one query: a check-in's prompts
        look up goals only of these)."""
        ...

    async def add_note(self, goal_id: int, note: GoalNote) -> None: ...

    async def reached_count(self, member_id: int) -> int:
        """The member's goals marked reached (done)."""
        ...

    async def due_to_ask(self, now: datetime, limit: int) -> list[Goal]:
        """Open goals, in every workspace, whose day has begun and whose owner was not asked."""
        ...

    async def counts(
        self, workspace: WorkspaceRef, member_ids: Collection[int] | None
    ) -> dict[int, tuple[int, int]]:
        """Per member with goals (of these, when given): (open, reached)."""
        ...

    async def shares(self, member_id: int) -> bool:
        """Whether the member shares their goals with their circles."""
        ...

    async def set_sharing(self, member_id: int, shared: bool, now: datetime) -> None: ...

"""Storing circles and who belongs to them (`CircleRepository`).

Rule: names are matched case-insensitively within one workspace; only the scheduling jobs ask
for circles across workspaces (`with_cadence`, `rounds_due`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Circle, Membership, NewCircle, NewMembership, WorkspaceRef


class CircleRepository(Protocol):
    async def get(self, circle_id: int) -> Circle | None: ...

    async def with_cadence(self) -> list[Circle]:
        """Circles in every workspace with a cadence (rounds and check-ins), not archived."""
        ...

    async def get_by_name(self, workspace: WorkspaceRef, name: str) -> Circle | None:
        """The circle of that name in the workspace, matched case-insensitively."""
        ...

    async def in_workspace(self, workspace: WorkspaceRef) -> list[Circle]: ...

    async def add(self, circle: NewCircle) -> Circle:
        """Store it; the circle as stored, with its id."""
        ...

    async def save(self, circle: Circle) -> None: ...

    async def memberships(self, circle_id: int) -> list[Membership]: ...

    async def membership(self, circle_id: int, member_id: int) -> Membership | None: ...

    async def add_membership(self, membership: NewMembership) -> Membership:
        """Store it; the membership as stored, with its id."""
        ...

    async def save_membership(self, membership: Membership) -> None: ...

    async def remove_membership(self, membership: Membership) -> None: ...

    async def member_counts(self, circle_ids: Collection[int]) -> dict[int, int]: ...

    async def circle_ids_of(self, member_id: int) -> set[int]: ...

    async def rounds_due(self, now: datetime, limit: int) -> list[tuple[Circle, datetime]]:
        """Up to `limit` circles, across workspaces, whose round job should look at them by
        `now` (a new or changed schedule at once), each with when that was due; soonest first."""
        ...

    async def next_round_check(self, circle_id: int, was: datetime, at: datetime) -> None:
        """Look at the circle again at `at`, unless its schedule changed since it was read as due
        at `was`."""
        ...

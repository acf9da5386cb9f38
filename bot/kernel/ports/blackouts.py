"""Storing a workspace's holidays (`BlackoutRepository`), earliest first."""

from __future__ import annotations

from typing import Protocol

from bot.kernel.model import Blackout, NewBlackout, WorkspaceRef


class BlackoutRepository(Protocol):
    async def in_workspace(self, workspace: WorkspaceRef) -> list[Blackout]:
        """The workspace's blackouts, earliest first."""
        ...

    async def add(self, blackout: NewBlackout) -> Blackout:
        """Store it; the blackout as stored, with its id."""
        ...

    async def remove(self, blackout_id: int) -> None: ...

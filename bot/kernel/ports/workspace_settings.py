"""Storing what each workspace's moderators chose (`WorkspaceSettingsRepository`)."""

from __future__ import annotations

from typing import Protocol

from bot.kernel.model import WorkspaceRef
from bot.kernel.settings import WorkspaceChoices


class WorkspaceSettingsRepository(Protocol):
    async def choices(self, workspace: WorkspaceRef) -> WorkspaceChoices:
        """The workspace's choices; none made (all None) for a workspace that made none."""
        ...

    async def save(self, workspace: WorkspaceRef, choices: WorkspaceChoices) -> None:
        """Store the workspace's choices in place of what it chose before."""
        ...

    async def all_choices(self) -> dict[WorkspaceRef, WorkspaceChoices]:
        """Every workspace that chose anything, with its choices (one read for a whole tick)."""
        ...

    async def retention_choices(self) -> set[int]:
        """Every retention period (days) some workspace chose, each once."""
        ...

"""A workspace's effective settings, resolved in this one place.

Rule: a workspace's settings are the config's (the defaults every new workspace starts with)
with what its moderators chose (`/settings set`) laid over them; a choice of one workspace
changes no other. Everything that reads a setting a workspace may choose (time zone, kudos
rules, retention, mentors appointed or self-service) reads it from what `settings_for` gives.
"""

from __future__ import annotations

from bot.kernel.model import WorkspaceRef
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings


async def settings_for(
    uow: UnitOfWork, workspace: WorkspaceRef, defaults: CoreSettings
) -> CoreSettings:
    """`workspace`'s effective settings: `defaults` with its moderators' choices over them."""
    return defaults.chosen(await uow.workspace_settings.choices(workspace))

"""A workspace's effective settings, resolved in this one place.

Rule: a workspace's settings are the config's (the defaults every new workspace starts with)
with what its moderators chose (`/settings set`) laid over them; a choice of one workspace
changes no other. Everything that reads a setting a workspace may choose (time zone, kudos
rules, retention, mentors appointed or self-service) reads it from what `settings_for` gives, or
a job's `SettingsBook` (every workspace's in one read, for a tick over many workspaces); both
lay the choices over the defaults with `CoreSettings.chosen`.
"""

from __future__ import annotations

from bot.kernel.model import WorkspaceRef
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings, WorkspaceChoices


async def settings_for(
    uow: UnitOfWork, workspace: WorkspaceRef, defaults: CoreSettings
) -> CoreSettings:
    """`workspace`'s effective settings: `defaults` with its moderators' choices over them."""
    return defaults.chosen(await uow.workspace_settings.choices(workspace))


class SettingsBook:
    """Every workspace's effective settings for one tick of a job, read in one query (only the
    workspaces that chose something have a row), so a job over a thousand workspaces does not
    ask once per workspace."""

    def __init__(self, defaults: CoreSettings, choices: dict[WorkspaceRef, WorkspaceChoices]):
        self._defaults = defaults
        self._choices = choices

    @classmethod
    async def read(cls, uow: UnitOfWork, defaults: CoreSettings) -> SettingsBook:
        return cls(defaults, await uow.workspace_settings.all_choices())

    def of(self, workspace: WorkspaceRef) -> CoreSettings:
        """`workspace`'s effective settings."""
        return self._defaults.chosen(self._choices.get(workspace, WorkspaceChoices()))

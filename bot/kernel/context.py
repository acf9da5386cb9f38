"""What a handler works with: the unit of work, the time, the settings (the acting member's
workspace's: the config's defaults under its moderators' choices, bot.kernel.workspace_settings),
the acting member and the commands of the house (for help, and the words no circle may be
called)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.commands import CommandSpec
from bot.kernel.model import Member
from bot.kernel.ports import Solver, UnitOfWork, solve_here
from bot.kernel.settings import CoreSettings


@dataclass
class Context:
    uow: UnitOfWork
    now: datetime
    settings: CoreSettings
    me: Member
    solve: Solver = solve_here
    commands: tuple[CommandSpec, ...] = ()
    defaults: CoreSettings | None = None
    """The config's settings before this workspace's choices (`/settings` shows which is
    which); None: `settings` are the defaults."""

    @property
    def is_moderator(self) -> bool:
        return self.me.is_moderator

"""What a handler works with: the unit of work, the time, the settings and the acting member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.model import Member
from bot.ports import UnitOfWork
from bot.settings import CoreSettings


@dataclass
class Context:
    uow: UnitOfWork
    now: datetime
    settings: CoreSettings
    me: Member

    @property
    def is_moderator(self) -> bool:
        return self.me.is_moderator

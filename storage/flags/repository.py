"""Concerns raised (flags) over one AsyncSession. A flag belongs to one workspace."""

from __future__ import annotations

from bot.kernel.model import Flag
from storage.flags.mapping import flag_to_row
from storage.queries import SessionRepository


class SqlFlagRepository(SessionRepository):
    async def add(self, flag: Flag) -> Flag:
        row = flag_to_row(flag)
        self._session.add(row)
        await self._session.flush()
        flag.id = row.id
        return flag

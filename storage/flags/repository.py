"""Concerns raised (flags) over one AsyncSession. A flag belongs to one workspace."""

from __future__ import annotations

from bot.kernel.model import Flag, NewFlag
from storage.flags.mapping import flag_to_row
from storage.queries import SessionRepository
from storage.saved import row_id, saved


class SqlFlagRepository(SessionRepository):
    async def add(self, flag: NewFlag) -> Flag:
        row = flag_to_row(flag)
        self._session.add(row)
        await self._session.flush()
        return saved(Flag, flag, row_id(row))

"""The core's PrivacyRepository over one AsyncSession: each job is its own module, with its own
rules (export, erasure, retention)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.kernel.model import Member
from bot.privacy.ports import PersonalData, Purged, RetentionGroup
from storage.privacy.erasure import SqlErasure
from storage.privacy.export import SqlExport
from storage.privacy.retention import SqlRetention


class SqlPrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._export = SqlExport(session)
        self._erasure = SqlErasure(session)
        self._retention = SqlRetention(session)

    async def personal_data(self, member: Member) -> PersonalData:
        return await self._export.personal_data(member)

    async def erase_records(self, member: Member, label: str) -> None:
        await self._erasure.erase_records(member, label)

    async def purge_before(self, cutoff: datetime, group: RetentionGroup | None = None) -> Purged:
        return await self._retention.purge_before(cutoff, group)

"""Reflections and connections over one AsyncSession (`ConnectionRepository`).

Rules:
- a reflection is loaded with its partner's member row, in one query;
- adding reflections is one INSERT ... ON CONFLICT DO NOTHING (an executemany), so a member
  already asked about a partner keeps what they had;
- a connection is stored once, the smaller member id first, and read from either side.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_, update
from sqlmodel import col, select

from bot.kernel.model import Connection, NewReflection, Reflection
from storage.connections.mapping import reflection_from_row, reflection_values
from storage.connections.tables import REFLECTION_LIMIT, ConnectionRow, ReflectionRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.queries import SessionRepository, insert_or_nothing


class SqlConnectionRepository(SessionRepository):
    async def asked_pairs(self, member_ids: Collection[int]) -> set[tuple[int, int]]:
        if not member_ids:
            return set()
        rows = await self._session.execute(
            select(ReflectionRow.member_id, ReflectionRow.partner_id).where(
                col(ReflectionRow.member_id).in_(set(member_ids))
            )
        )
        return {(member_id, partner_id) for member_id, partner_id in rows}

    async def add_reflections(self, reflections: Sequence[NewReflection]) -> None:
        if not reflections:
            return
        statement = insert_or_nothing(
            self._session, ReflectionRow, None, ["member_id", "partner_id"]
        )
        await self._session.execute(statement, [reflection_values(r) for r in reflections])

    async def reflection_about(self, member_id: int, partner_id: int) -> Reflection | None:
        found = await self._reflections(
            ReflectionRow.member_id == member_id, ReflectionRow.partner_id == partner_id
        )
        return found[0] if found else None

    async def latest_reflection(self, member_id: int) -> Reflection | None:
        found = await self._reflections(ReflectionRow.member_id == member_id)
        return found[-1] if found else None

    async def reflections_of(self, member_id: int) -> list[Reflection]:
        return await self._reflections(ReflectionRow.member_id == member_id)

    async def save_reflection(self, reflection: Reflection) -> None:
        await self._session.execute(
            update(ReflectionRow)
            .where(col(ReflectionRow.id) == reflection.id)
            .values(
                stay=reflection.stay,
                answered_at=reflection.answered_at,
                text=reflection.text[:REFLECTION_LIMIT],
                written_at=reflection.written_at,
            )
        )

    async def connect(self, member_id: int, other_id: int, since: datetime) -> bool:
        first, second = sorted((member_id, other_id))
        statement = insert_or_nothing(
            self._session,
            ConnectionRow,
            {"member_id": first, "other_id": second, "since": since},
            ["member_id", "other_id"],
        )
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def disconnect(self, member_id: int, other_id: int) -> bool:
        result = await self._session.execute(
            delete(ConnectionRow).where(_between(member_id, other_id))
        )
        return bool(getattr(result, "rowcount", 0))

    async def connections_of(self, member_id: int) -> list[Connection]:
        rows = await self._rows(
            select(ConnectionRow, MemberRow)
            .join(
                MemberRow,
                or_(
                    and_(
                        col(ConnectionRow.member_id) == member_id,
                        col(MemberRow.id) == col(ConnectionRow.other_id),
                    ),
                    and_(
                        col(ConnectionRow.other_id) == member_id,
                        col(MemberRow.id) == col(ConnectionRow.member_id),
                    ),
                ),
            )
            .order_by(col(ConnectionRow.since), col(ConnectionRow.id))
        )
        return [Connection(member_from_row(member), row.since) for row, member in rows]

    async def _reflections(self, *where: ColumnElement[bool] | bool) -> list[Reflection]:
        rows = await self._rows(
            select(ReflectionRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(ReflectionRow.partner_id))
            .where(*where)
            .order_by(col(ReflectionRow.asked_at), col(ReflectionRow.id))
        )
        return [reflection_from_row(row, member_from_row(partner)) for row, partner in rows]


def _between(member_id: int, other_id: int) -> ColumnElement[bool]:
    first, second = sorted((member_id, other_id))
    return and_(col(ConnectionRow.member_id) == first, col(ConnectionRow.other_id) == second)

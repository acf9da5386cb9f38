"""What privacy does to reflections and connections, over one AsyncSession.

Rules:
- erasing a member deletes their reflections and every connection they are in; a reflection
  someone else wrote about them stays, as it is the writer's (its partner reads "(former
  member)", as the member row does);
- the retention purge blanks the words of reflections written before its cutoff, keeping the
  row and its answer to "stay in touch?"; finding none left costs one indexed look.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.connections.tables import ConnectionRow, ReflectionRow


async def erase_connections(session: AsyncSession, member_id: int) -> None:
    await session.execute(delete(ReflectionRow).where(col(ReflectionRow.member_id) == member_id))
    await session.execute(
        delete(ConnectionRow).where(
            or_(col(ConnectionRow.member_id) == member_id, col(ConnectionRow.other_id) == member_id)
        )
    )


async def purge_reflections(
    session: AsyncSession, cutoff: datetime, kept: ColumnElement[bool] | None = None
) -> int:
    """Blank the reflections written before `cutoff` (of those `kept` selects); how many."""
    result = await session.execute(
        update(ReflectionRow)
        .where(
            col(ReflectionRow.written_at) < cutoff,
            col(ReflectionRow.text) != "",
            true() if kept is None else kept,
        )
        .values(text="")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)

"""Platform deliveries already handled, shared by every instance on one database.

Rules:
- a key's first sighting is the one call whose INSERT ... ON CONFLICT DO NOTHING stores its row:
  the primary key decides, so of several instances (or calls) racing on one key exactly one is
  first; a later sighting inserts nothing and is not first;
- a sighting is recorded in its own short transaction, committed before the answer is given;
- rows older than `keep` are deleted, by each instance at most once an hour, in a short
  transaction of their own before the sighting that finds the hour up; a key seen again after
  its row is gone counts as first again, so `keep` must outlast the platform's retries;
- within one process on SQLite the calls take turns, since one connection cannot hold two
  transactions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import Field, SQLModel, col

from storage.queries import insert_or_nothing

PURGE_EVERY = timedelta(hours=1)


class SeenEventRow(SQLModel, table=True):
    """A platform delivery already handled: the primary key makes the first sighting the only
    one, whatever races; rows older than the platform's retries are deleted."""

    __tablename__ = "seen_events"

    key: str = Field(max_length=200, primary_key=True)
    seen_at: datetime = Field(index=True)


class SqlSeenEvents:
    def __init__(self, engine: AsyncEngine, keep: timedelta = timedelta(days=1)) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._one_at_a_time = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._keep = keep
        self._next_purge: datetime | None = None

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._one_at_a_time or nullcontext(), self._sessions.begin() as session:
            yield session

    async def first_sighting(self, key: str, now: datetime) -> bool:
        if self._next_purge is None or now >= self._next_purge:
            await self._purge(now)
        async with self._transaction() as session:
            statement = insert_or_nothing(
                session, SeenEventRow, {"key": key, "seen_at": now}, ["key"]
            ).returning(col(SeenEventRow.key))
            return (await session.execute(statement)).first() is not None

    async def _purge(self, now: datetime) -> None:
        """Forget sightings older than `keep`. The next purge is due an hour on, or at the next
        sighting if this one fails."""
        self._next_purge = now + PURGE_EVERY
        try:
            async with self._transaction() as session:
                await session.execute(
                    delete(SeenEventRow).where(col(SeenEventRow.seen_at) < now - self._keep)
                )
        except BaseException:
            self._next_purge = None
            raise

"""Which instance runs the due jobs in a tick, when several share one database.

Rules:
- on PostgreSQL, the instance that gets a session-level `pg_try_advisory_lock` on its own
  dedicated connection runs the jobs; it unlocks when the tick's jobs are done, and if its
  process dies PostgreSQL drops the lock with the connection, so the next tick elsewhere runs;
- nobody waits for the lock: an instance that does not get it skips the jobs for this tick;
- within one process one holder at a time (one connection cannot serve two at once);
- on SQLite there is one writer at a time anyway and instances do not share the file over a
  network: always this instance's turn.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)


def tick_lock_key(name: str = "circles:due-jobs") -> int:
    """The advisory lock key: the first 8 bytes of a SHA-256 as a signed 64-bit integer, the
    same in every process and release."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PostgresTickLock:
    def __init__(self, engine: AsyncEngine, key: int | None = None) -> None:
        self._engine = engine
        self._key = tick_lock_key() if key is None else key
        self._connection: AsyncConnection | None = None
        self._in_use = asyncio.Lock()

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[bool]:
        if self._in_use.locked():
            yield False
            return
        async with self._in_use:
            mine = await self._try_lock()
            try:
                yield mine
            finally:
                if mine:
                    await self._unlock()

    async def _try_lock(self) -> bool:
        try:
            return await self._ask()
        except DBAPIError:  # a dropped connection (a database restart): open a new one, once
            await self._discard()
        return await self._ask()

    async def _ask(self) -> bool:
        connection = await self._open()
        query = text("SELECT pg_try_advisory_lock(:key)")
        return bool(await connection.scalar(query, {"key": self._key}))

    async def _unlock(self) -> None:
        if self._connection is None:
            return  # closed meanwhile: the lock went with the connection
        try:
            query = text("SELECT pg_advisory_unlock(:key)")
            await self._connection.execute(query, {"key": self._key})
        except DBAPIError:
            log.warning("could not release the tick lock; dropping its connection (and the lock)")
            await self._discard()

    async def _open(self) -> AsyncConnection:
        if self._connection is None:
            connection = await self._engine.connect()
            self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        return self._connection

    async def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(DBAPIError):
                await connection.invalidate()  # closes the database session itself
            await connection.close()

    async def close(self) -> None:
        """Close the dedicated connection for good (not back into the pool), and with it let go
        of the lock if it is held."""
        await self._discard()


def tick_lock_for(engine: AsyncEngine) -> PostgresTickLock | None:
    """The tick lock for this database; None where every instance may tick (SQLite)."""
    if engine.dialect.name == "postgresql":
        return PostgresTickLock(engine)
    return None

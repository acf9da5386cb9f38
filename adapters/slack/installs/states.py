"""The OAuth states of installs under way, in slack-sdk's `slack_oauth_states` table, timed by
the core's Clock (slack-sdk's own SQLAlchemy state store reads the machine's clock).

Rules: a state is good once, until `seconds` after it was issued: consuming it is one DELETE,
so two redirects with the same state cannot both pass; expired states are deleted as new ones
are issued.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.kernel.ports import Clock

log = logging.getLogger(__name__)


class ClockedStateStore(AsyncOAuthStateStore):
    def __init__(self, engine: AsyncEngine, clock: Clock, seconds: int) -> None:
        self._engine = engine
        self._clock = clock
        self._lifetime = timedelta(seconds=seconds)
        self._table = AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(
            MetaData(), AsyncSQLAlchemyOAuthStateStore.default_table_name
        )

    @property
    def logger(self) -> logging.Logger:
        return log

    def _now(self) -> datetime:
        """Naive UTC, as slack-sdk's table keeps its times."""
        return self._clock.now().astimezone(UTC).replace(tzinfo=None)

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        state = str(uuid.uuid4())
        now = self._now()
        async with self._engine.begin() as connection:
            await connection.execute(delete(self._table).where(self._table.c.expire_at <= now))
            await connection.execute(
                self._table.insert(), {"state": state, "expire_at": now + self._lifetime}
            )
        return state

    async def async_consume(self, state: str) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(self._table).where(
                    self._table.c.state == state, self._table.c.expire_at > self._now()
                )
            )
        return int(getattr(result, "rowcount", 0)) == 1

"""Each workspace's installation in our database, tokens encrypted: slack-sdk's async SQLAlchemy
installation store on the tables migration 0019 makes, behind a layer that encrypts the tokens
on the way in and decrypts them on the way out.

Rules: only the tokens are encrypted (the ids, names and scopes stay readable for an operator);
a stored token no key opens makes the workspace count as not installed (see cipher); the store's
engine is the adapter's own, on the database the config names, since the tables are in it.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import TypeVar

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.config import ConfigError
from adapters.slack.installs.cipher import TokenCipher
from adapters.slack.installs.states import ClockedStateStore
from bot.kernel.ports import Clock

TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
"""The fields of an Installation (a Bot has the first two) that are secrets."""
Record = TypeVar("Record", Installation, Bot)


class EncryptedInstallationStore(AsyncInstallationStore):
    def __init__(self, inner: AsyncSQLAlchemyInstallationStore, cipher: TokenCipher) -> None:
        self._inner = inner
        self._cipher = cipher

    @property
    def logger(self) -> logging.Logger:
        return self._inner.logger

    async def async_save(self, installation: Installation) -> None:
        await self._inner.async_save(self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await self._inner.async_save_bot(self._sealed(bot))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._inner.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._opened(found)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await self._inner.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._opened(found)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._inner.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._inner.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    def _sealed(self, record: Record) -> Record:
        sealed = copy.copy(record)
        for name in TOKENS:
            if hasattr(sealed, name):
                setattr(sealed, name, self._cipher.encrypt(getattr(sealed, name)))
        return sealed

    def _opened(self, record: Record | None) -> Record | None:
        if record is None:
            return None
        opened = copy.copy(record)
        for name in TOKENS:
            stored = getattr(opened, name, None)
            if stored is not None:
                token = self._cipher.decrypt(stored)
                if token is None:
                    return None
                setattr(opened, name, token)
        return opened


@dataclass
class InstallsDatabase:
    """The adapter's connection to the installation tables; `close()` at the stop."""

    engine: AsyncEngine
    installations: EncryptedInstallationStore
    _states: ClockedStateStore | None = None

    def use_clock(self, clock: Clock, state_seconds: int) -> None:
        """Time the install links (OAuth states) by the core's clock."""
        self._states = ClockedStateStore(self.engine, clock, state_seconds)

    @property
    def states(self) -> ClockedStateStore:
        assert self._states is not None, "use_clock() first"
        return self._states

    async def close(self) -> None:
        await self.engine.dispose()


def open_store(url: str, client_id: str, cipher: TokenCipher) -> InstallsDatabase:
    """The store on the database at `url` (migrated already: bootstrap does it first); an
    in-memory database, which another connection cannot see, is a ConfigError."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ConfigError(
                '[storage] url: "Add to Slack" ([slack] client_id) keeps the installations in '
                "the database, so it must be a file (or PostgreSQL), not in memory"
            )
        # Wait for the core's writes rather than fail at once.
        engine = create_async_engine(url, connect_args={"timeout": 30})
    else:
        engine = create_async_engine(url, pool_size=2, max_overflow=2)
    inner = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    return InstallsDatabase(engine, EncryptedInstallationStore(inner, cipher))

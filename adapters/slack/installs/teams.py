"""The Web API client for each workspace the bot serves.

Rules:
- with one bot token (a school running its own bot), every workspace is served by the one
  client, as before;
- with "Add to Slack", a workspace's client carries the bot token of its installation, looked
  up in the installation store and remembered for REMEMBER_SECONDS; a workspace with no
  installation (never installed, or uninstalled) has no client, and `forget` makes the next
  message look again (uninstalled, token refused), so a reinstall works at once;
- a workspace's token is never used for another workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from cachetools import TTLCache
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

REMEMBER_SECONDS = 60


class TeamClients(Protocol):
    per_workspace: bool
    """True with "Add to Slack": each workspace has its own token (and may be uninstalled)."""

    async def client(self, team_id: str) -> AsyncWebClient | None:
        """The client with workspace `team_id`'s bot token; None when it has none."""
        ...

    def forget(self, team_id: str) -> None:
        """Look the workspace's token up again next time."""
        ...


class OneTeam:
    per_workspace = False

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def client(self, team_id: str) -> AsyncWebClient | None:
        return self._client

    def forget(self, team_id: str) -> None:
        return None


class InstalledTeams:
    per_workspace = True

    def __init__(
        self,
        store: AsyncInstallationStore,
        make_client: Callable[[str], AsyncWebClient],
        size: int = 10_000,
    ) -> None:
        """`make_client(token)`: a client with that bot token."""
        self._store = store
        self._make_client = make_client
        self._known: TTLCache[str, AsyncWebClient] = TTLCache(size, REMEMBER_SECONDS)

    async def client(self, team_id: str) -> AsyncWebClient | None:
        if (known := self._known.get(team_id)) is not None:
            return known
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        client = self._make_client(bot.bot_token)
        self._known[team_id] = client
        return client

    def forget(self, team_id: str) -> None:
        self._known.pop(team_id, None)


def team_clients(clients: AsyncWebClient | TeamClients) -> TeamClients:
    """A plain client serves every workspace (one bot token)."""
    return OneTeam(clients) if isinstance(clients, AsyncWebClient) else clients

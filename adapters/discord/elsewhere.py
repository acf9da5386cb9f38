"""Servers whose shard another process runs (`[discord] shard_ids`): this process's gateway
never told it their channels and roles, so the messenger asks Discord, as REST does not depend
on the shard.

Rules:
- a channel post to such a server finds its text channel (by id or `#name`, only that server's
  own) over REST, and a DM about it names its roles as a DM about any other server does;
- what Discord said of a server is kept for five minutes, so a busy server costs one lookup,
  not one per message; a server Discord no longer shows the bot (404, 403) has no channel and
  no role, as when this process's own cache lacks it.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord
from cachetools import TTLCache

SERVER_SECONDS = 300
TEXT_CHANNEL_TYPES = frozenset({discord.ChannelType.text.value, discord.ChannelType.news.value})


@dataclass(frozen=True)
class Server:
    """What a server elsewhere is made of, as far as sending goes."""

    text_channels: dict[int, str]
    """Id to name."""
    roles: dict[int, str]
    """Id to name."""


NOWHERE = Server({}, {})


class ServersElsewhere:
    """Servers this process does not hold, looked up over REST and kept a while."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        self._known: TTLCache[int, Server] = TTLCache(10_000, SERVER_SECONDS)

    async def channel(self, guild_id: int, target: str) -> discord.PartialMessageable | None:
        """The server's text channel `target` names (an id or `#name`), or None."""
        name = target.removeprefix("#").lower()
        for channel_id, channel_name in (await self.server(guild_id)).text_channels.items():
            if str(channel_id) == target or channel_name.lower() == name:
                return self._client.get_partial_messageable(
                    channel_id, guild_id=guild_id, type=discord.ChannelType.text
                )
        return None

    async def server(self, guild_id: int) -> Server:
        """The server as Discord shows it now, or as it did less than five minutes ago.
        Other refusals raise, so the send is tried again later."""
        known = self._known.get(guild_id)
        if known is not None:
            return known
        http = self._client.http
        try:
            channels = await http.get_all_guild_channels(guild_id)
            roles = await http.get_roles(guild_id)
        except (discord.NotFound, discord.Forbidden):
            return NOWHERE
        server = Server(
            {
                int(c["id"]): str(c.get("name") or "")
                for c in channels
                if c["type"] in TEXT_CHANNEL_TYPES
            },
            {int(r["id"]): str(r["name"]) for r in roles},
        )
        self._known[guild_id] = server
        return server

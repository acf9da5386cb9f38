"""Delivers outbox entries to Discord: DMs and channel posts, with buttons.

Rules:
- a DM goes only to a member of the server it is about: Discord lets a bot DM anyone who shares
  any server with it, so a person who is not in that server (a moderator of another school, a
  member who left) is `Failed`, never sent another server's news;
- every send carries a nonce made from the entry's key, which Discord enforces, so a resend
  after a crash or a timeout is dropped by Discord: resending is safe (`resend_is_safe`);
- a message allows no mention at all (`SILENT`): no @everyone, @here, role or person is pinged
  by anything a user typed (a DM notifies its addressee anyway);
- its text is `for_discord` (adapters.discord.render): people, roles and channels shown as
  Discord draws them, no masked link (`[label](url)` reads as typed, the URL in plain sight), no
  bidirectional control character, and no link preview (a page's own title and picture under a
  URL someone typed); in a DM, where Discord cannot draw a server's role, a role is its name;
- a server whose shard another process runs (`[discord] shard_ids`) is not in this process's
  cache: its channels and roles are asked of Discord (adapters.discord.elsewhere);
- closed DMs, a channel the bot cannot see or post in, an unknown user or channel are `Failed`
  with a reason said as a person would, which the member and the moderators are shown, and what
  to do where there is something; server errors and broken connections are retried;
- a 429 is never retried inside the send (adapters.discord.rate_limits): the message goes back
  to the outbox for exactly as long as Discord asked, holding the whole platform when Discord
  says the limit is global, else that destination's route alone (its `Pace` key); a route
  discord.py knows is spent for over 30 s (`RateLimited`) holds that route too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import aiohttp
import discord
from cachetools import TTLCache

from adapters.discord.components import buttons
from adapters.discord.elsewhere import ServersElsewhere
from adapters.discord.people import PLATFORM
from adapters.discord.rate_limits import RateLimitWatch, Throttled
from adapters.discord.render import SILENT, for_discord
from bot.kernel.model import OutboxEntry
from bot.kernel.ports import Delivery, Failed, Pace, RetryLater, Sent
from bot.kernel.text import neutralise

RETRY_SECONDS = 30.0
MEMBER_SECONDS = 600
"""A member found in a server is not looked up again for ten minutes."""
NOT_IN_SERVER = "they are not a member of this server"
DMS_CLOSED = (
    "direct messages from this server are turned off: in the server's menu, Privacy Settings, "
    "turn on Direct Messages"
)
PERMANENT: dict[int, str] = {
    50007: DMS_CLOSED,
    50001: "the bot cannot see that channel",
    50013: "the bot may not post in that channel",
    10003: "the channel does not exist",
    10013: "Discord does not know this user",
    50278: DMS_CLOSED,
}
"""Discord's refusals for good (its error codes), said as a person would: the member and the
moderators read them."""
_CHANNEL_LINK = re.compile(r"^<#(\d+)>$")
_ROLE = re.compile(r"<@&(\d+)>")


def nonce_for(key: str) -> str:
    """The same 25 characters for the same outbox row, however often it is sent."""
    return hashlib.sha256(key.encode()).hexdigest()[:25]


class DiscordMessenger:
    platform = PLATFORM
    resend_is_safe = True

    def __init__(
        self,
        client: discord.Client,
        max_per_second: float,
        rate_limits: RateLimitWatch | None = None,
    ) -> None:
        """`rate_limits` must be the watch on `client`'s session (`http_trace`)."""
        self._client = client
        self.max_per_second: float | None = max_per_second
        self._members: TTLCache[tuple[str, str], bool] = TTLCache(10_000, MEMBER_SECONDS)
        self._elsewhere = ServersElsewhere(client)
        self._rate_limits = rate_limits or RateLimitWatch()

    def paces(self, entry: OutboxEntry) -> Sequence[Pace]:
        """The route a send takes: held alone by a 429 Discord scopes to it."""
        return [Pace(route_key(entry))]

    async def send(self, entry: OutboxEntry) -> Delivery:
        try:
            with self._rate_limits.sending():
                return await self._send(entry)
        except Throttled as e:
            scope = None if e.is_global else route_key(entry)
            return RetryLater(e.retry_after, "rate limited by Discord", True, scope)
        except discord.RateLimited as e:
            return RetryLater(e.retry_after, "rate limited by Discord", True, route_key(entry))

    async def _send(self, entry: OutboxEntry) -> Delivery:
        guild_id = entry.destination.workspace.workspace_id
        target = entry.destination.target
        try:
            if entry.destination.kind == "dm":
                if refused := await self._not_in_server(guild_id, target):
                    return refused
                channel: discord.abc.Messageable = await self._client.create_dm(
                    discord.Object(id=int(target))
                )
                text = await self._roles_named(guild_id, for_discord(entry.text))
            else:
                found = await self._channel(guild_id, target)
                if found is None:
                    return Failed(f"the server has no text channel {target} the bot can see")
                channel, text = found, for_discord(entry.text)
            await channel.send(
                text,
                view=buttons(guild_id, entry.actions) or discord.utils.MISSING,
                allowed_mentions=SILENT,
                nonce=nonce_for(entry.key),
                suppress_embeds=True,
            )
        except discord.HTTPException as e:
            return _refused(e)
        except (aiohttp.ClientError, OSError, TimeoutError) as e:
            return RetryLater(RETRY_SECONDS, f"cannot reach Discord: {e!r}"[:200])
        except ValueError:
            return Failed(f"'{target}' is not a Discord id")
        return Sent()

    async def _not_in_server(self, guild_id: str, user_id: str) -> Failed | None:
        """`Failed` when `user_id` is not a member of server `guild_id` (Discord answers 10007,
        Unknown Member, or 10004, Unknown Guild); None when they are, from the cache or Discord.
        Other refusals and broken connections raise, so the send is tried again later."""
        key = (guild_id, user_id)
        if key in self._members:
            return None
        guild = self._client.get_guild(int(guild_id))
        if guild is None or guild.get_member(int(user_id)) is None:
            try:
                await self._client.http.get_member(int(guild_id), int(user_id))
            except discord.NotFound:
                return Failed(NOT_IN_SERVER)
        self._members[key] = True
        return None

    async def _roles_named(self, guild_id: str, text: str) -> str:
        """`text` for a DM: each role of server `guild_id` it names as `@name` (Discord draws a
        role only in its server's channels)."""
        roles = await self._roles_of(guild_id) if _ROLE.search(text) else {}

        def name(match: re.Match[str]) -> str:
            role = roles.get(int(match.group(1)))
            return neutralise("@" + (role.removeprefix("@") if role else "a role"), 110)

        return _ROLE.sub(name, text)

    async def _roles_of(self, guild_id: str) -> dict[int, str]:
        """The server's roles by id: from the gateway's cache, or from Discord for a server
        whose shard another process runs."""
        if not guild_id.isdigit():
            return {}
        guild = self._client.get_guild(int(guild_id))
        if guild is None:
            return (await self._elsewhere.server(int(guild_id))).roles
        return {role.id: role.name for role in guild.roles}

    async def _channel(self, guild_id: str, target: str) -> discord.abc.Messageable | None:
        """A channel setting as Discord takes it: `<#123>`, an id, or `#name`; only a text
        channel of the circle's own server, whatever id a moderator typed (a channel of another
        server is never posted to)."""
        if match := _CHANNEL_LINK.match(target):
            target = match.group(1)
        if not guild_id.isdigit():
            return None
        guild = self._client.get_guild(int(guild_id))
        if guild is None:
            return await self._elsewhere.channel(int(guild_id), target)
        name = target.removeprefix("#").lower()
        for channel in guild.text_channels:
            if str(channel.id) == target or channel.name.lower() == name:
                return channel
        return None


def route_key(entry: OutboxEntry) -> str:
    """The budget's key for the route a send takes (a DM's or a channel's messages)."""
    destination = entry.destination
    where = destination.workspace.workspace_id
    return f"{PLATFORM}:route:{where}:{destination.kind}:{destination.target}"


def _refused(error: discord.HTTPException) -> Delivery:
    if error.code in PERMANENT:
        return Failed(PERMANENT[error.code])
    if error.status == 429:
        return RetryLater(_retry_after(error), "rate limited by Discord", throttled=True)
    return RetryLater(RETRY_SECONDS, f"Discord answered {error.status} {error.code}"[:200])


def _retry_after(error: discord.HTTPException) -> float:
    """The wait a 429 discord.py gave up on asks for (after five tries, or one it took for
    Cloudflare's): its exact `X-RateLimit-Reset-After`, else its `Retry-After`, else
    RETRY_SECONDS when it says neither."""
    headers = getattr(error.response, "headers", None) or {}
    for name in ("X-RateLimit-Reset-After", "Retry-After"):
        try:
            return max(0.0, float(headers[name]))
        except (KeyError, TypeError, ValueError):
            continue
    return RETRY_SECONDS

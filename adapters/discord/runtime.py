"""The Discord adapter as a whole: the token, the client, its endpoints, start, stop, sync.

Rules:
- DISCORD_TOKEN is needed; a missing one stops the start with a message naming it;
- `[discord] api_base_url` and `gateway_url` are applied here, the one place that sets where
  discord.py connects (a proxy, or a local fake in tests);
- intents: guilds only (servers, their channels and roles, for `#channel` names and moderator
  roles); no message content, no member list, no presences: every command is an interaction;
- `shards = "auto"` uses AutoShardedClient;
- the commands are installed by `circles discord sync`, to the servers in `[discord] guild_ids`
  (at once) or globally (Discord takes up to an hour), never on every start;
- a gateway that Discord closes for good (4004: the token was reset; sharding required) is a
  lost platform: `lost()` says what to do, and the service stops with a failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.config import ConfigError, DiscordConfig, Settings
from adapters.delivery import DeliverSoon
from adapters.discord.interactions import DiscordInteractions
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.people import PLATFORM
from adapters.discord.surface import command_definitions
from bot.kernel.model import Actor, MemberRef
from bot.kernel.ports import Clock, SeenEvents
from bot.runtime.bus import MessageBus
from bot.runtime.due import DueWork

READY_TIMEOUT_SECONDS = 120.0
RATE_LIMIT_WAIT_SECONDS = 30.0
"""A longer rate limit is handed to the outbox (which holds Discord's lane) instead of being
slept through inside a send."""
log = logging.getLogger(__name__)

# The bot never joins a voice channel: discord.py's warnings on every start that the voice
# libraries (PyNaCl, davey) are missing would say nothing an administrator can act on.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


RESET_TOKEN = (
    "reset the token in the Developer Portal (Bot → Reset Token), set DISCORD_TOKEN to the new "
    "one and start the bot again"
)
FATAL_CLOSES = {
    4004: f"Discord no longer accepts DISCORD_TOKEN (4004, authentication failed: the token "
    f"was reset or is wrong); {RESET_TOKEN}",
    4010: 'Discord refused the shard (4010); check [discord] shards ("one" or "auto")',
    4011: "Discord requires sharding for a bot in this many servers (4011); set [discord] shards "
    '= "auto"',
    4012: "Discord refused the gateway version (4012); upgrade Mentor Circles",
    4013: "Discord refused the intents the bot asks for (4013); upgrade Mentor Circles",
    4014: "Discord refused the intents the bot asks for (4014, disallowed intents); see the "
    "intents in docs/discord.md",
}


def why_ended(error: BaseException) -> str:
    """What a gateway connection that ended for good means, in words an administrator can act
    on."""
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return FATAL_CLOSES[4014]
    if isinstance(error, discord.ConnectionClosed) and error.code in FATAL_CLOSES:
        return FATAL_CLOSES[error.code]
    return f"the connection to Discord ended for good ({error or type(error).__name__})"


class DiscordStartError(Exception):
    """Discord refused the token or could not be reached; the message says what to check."""


def discord_token(env: Mapping[str, str]) -> str:
    token = env.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError(
            "DISCORD_TOKEN is not set: Discord needs the bot token from the Developer Portal "
            "(Bot → Reset Token). See docs/discord.md."
        )
    return token


def discord_adapter(settings: Settings, env: Mapping[str, str]) -> DiscordAdapter | None:
    """The Discord adapter when the config enables it or DISCORD_TOKEN is set, else None."""
    if not (settings.discord.enabled or env.get("DISCORD_TOKEN")):
        return None
    return DiscordAdapter(settings.discord, discord_token(env))


def point_at(config: DiscordConfig) -> None:
    """Where discord.py sends REST calls and opens the gateway."""
    Route.BASE = config.api_base_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


class DiscordAdapter:
    def __init__(self, config: DiscordConfig, token: str, **client_options: Any) -> None:
        point_at(config)
        self.config = config
        self._token = token
        kind = discord.AutoShardedClient if config.shards == "auto" else discord.Client
        self.client = kind(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=RATE_LIMIT_WAIT_SECONDS,
            **client_options,
        )
        self.messenger = DiscordMessenger(self.client, config.sends_per_second)
        self.interactions: DiscordInteractions | None = None
        self._bus: MessageBus | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._connection: asyncio.Task[None] | None = None

    def attach(self, bus: MessageBus, due: DueWork, seen: SeenEvents, clock: Clock) -> None:
        self._bus = bus
        self.interactions = DiscordInteractions(
            bus, self.config.moderator_roles, DeliverSoon(due), seen, clock
        )
        self.client.on_interaction = self.interactions.on_interaction  # type: ignore[attr-defined]
        self.client.on_guild_available = self._owner_known  # type: ignore[attr-defined]
        self.client.on_guild_join = self._owner_known  # type: ignore[attr-defined]

    async def _owner_known(self, guild: discord.Guild) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._background.add(task)
        try:
            await self._meet_owner(guild)
        finally:
            self._background.discard(task)

    async def _meet_owner(self, guild: discord.Guild) -> None:
        """A server's owner moderates it from the start, so a concern or a closed DM reaches
        someone before any moderator has used the bot."""
        if self._bus is None or guild.owner_id is None:
            return
        owner = guild.get_member(guild.owner_id)
        name = owner.display_name if owner is not None else f"the owner of {guild.name}"
        ref = MemberRef(PLATFORM, str(guild.id), str(guild.owner_id))
        await self._bus.meet(Actor(ref, name, is_admin=True))

    async def start(self) -> None:
        """Log in, connect to the gateway and wait until the servers are known."""
        await self._login()
        self._connection = asyncio.create_task(self.client.connect())
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._connection, ready},
            timeout=READY_TIMEOUT_SECONDS,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if ready not in done:
            ready.cancel()
            error = self._connection.exception() if self._connection in done else None
            await self.client.close()
            if isinstance(error, discord.ConnectionClosed | discord.PrivilegedIntentsRequired):
                raise DiscordStartError(why_ended(error))
            raise DiscordStartError(
                f"Discord's gateway did not get ready ({error or 'timed out'}); check the "
                "network, [discord] gateway_url, and the intents in docs/discord.md"
            )

    async def lost(self) -> str:
        """Return once Discord has ended the gateway connection for good (a reset token,
        sharding required), saying what to do; while the bot runs, and after `stop`, it waits."""
        assert self._connection is not None, "start() first"
        try:
            await asyncio.shield(self._connection)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            return why_ended(e)
        await asyncio.Event().wait()  # closed by stop(): nothing was lost
        raise AssertionError("unreachable")

    async def sync(self, guild_ids: list[int]) -> list[str]:
        """Install the commands in those servers (or globally when empty); where it went."""
        await self._login()
        try:
            app_id = self.client.application_id
            assert app_id is not None
            definitions = command_definitions()
            if not guild_ids:
                await self.client.http.bulk_upsert_global_commands(app_id, definitions)
                return ["everywhere (Discord shows changes within an hour)"]
            for guild_id in guild_ids:
                await self.client.http.bulk_upsert_guild_commands(app_id, guild_id, definitions)
            return [f"server {g}" for g in guild_ids]
        except discord.HTTPException as e:
            raise DiscordStartError(
                f"Discord refused the commands ({e.status}: {e.text or e}); is the bot in every "
                "server of [discord] guild_ids, invited with the applications.commands scope?"
            ) from None
        finally:
            await self.client.close()

    async def settle(self) -> None:
        """Wait until the interactions taken so far, what they queued and the servers' owners
        being recorded have all finished."""
        while self._background:
            await asyncio.wait(list(self._background))
        if self.interactions is None:
            return
        while self.interactions.busy or self.interactions.deliver_soon.busy:
            await self.interactions.settle()
            await self.interactions.deliver_soon.settle()

    async def stop(self) -> None:
        await self.settle()
        await self.client.close()
        if self._connection is not None:
            await asyncio.gather(self._connection, return_exceptions=True)

    def describe(self) -> str:
        return "Discord" + (" (sharded)" if self.config.shards == "auto" else "")

    async def _login(self) -> None:
        try:
            await self.client.login(self._token)
        except discord.LoginFailure:
            await self.client.close()
            raise DiscordStartError(
                "Discord refused DISCORD_TOKEN; reset the bot token in the Developer Portal "
                "and set it again"
            ) from None
        except (discord.HTTPException, OSError) as e:
            await self.client.close()
            raise DiscordStartError(
                f"cannot reach Discord at {self.config.api_base_url} ({e}); check the network "
                "or [discord] api_base_url"
            ) from None

"""How the Discord adapter reaches Discord: the token, where discord.py connects, what it asks
for, and what a connection Discord ends for good means.

Rules:
- DISCORD_TOKEN is needed; a missing one stops the start with a message naming it;
- `[discord] api_base_url` and `gateway_url` are applied here, the one place that sets where
  discord.py connects (a proxy, or a local fake in tests);
- intents: guilds only (servers, their channels and roles, for `#channel` names and moderator
  roles); no message content, no member list, no presences: every command is an interaction;
- a gateway closed for good (4004: the token was reset; sharding required) is said in words an
  administrator can act on;
- shards (`shards = "auto"`): the shard count and this process's shard ids come from the config
  (`shard_count`, `shard_ids`) or, when left out, Discord's recommendation (GET /gateway/bot),
  all run here; a shard IDENTIFYs as soon as Discord allows (one per 5 s in each bucket of
  `max_concurrency`), not 5 s after the one before whatever the bucket.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.config import ConfigError
from adapters.discord.settings import DiscordConfig
from adapters.platform import StartError

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
    4010: "Discord refused the shard (4010); check [discord] shard_count and shard_ids: every "
    "process must give the same shard_count, and shard ids below it",
    4011: "Discord requires sharding for a bot in this many servers (4011); set [discord] shards "
    '= "auto" (see "Discord above 2,500 servers" in docs/deploy.md)',
    4012: "Discord refused the gateway version (4012); upgrade Mentor Circles",
    4013: "Discord refused the intents the bot asks for (4013); upgrade Mentor Circles",
    4014: "Discord refused the intents the bot asks for (4014, disallowed intents); see the "
    "intents in docs/discord.md",
}


class DiscordStartError(StartError):
    """Discord refused the token or could not be reached; the message says what to check."""

    platform = "discord"


def why_ended(error: BaseException) -> str:
    """What a gateway connection that ended for good means, in words an administrator can act
    on."""
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return FATAL_CLOSES[4014]
    if isinstance(error, discord.ConnectionClosed) and error.code in FATAL_CLOSES:
        return FATAL_CLOSES[error.code]
    return f"the connection to Discord ended for good ({error or type(error).__name__})"


def discord_token(env: Mapping[str, str]) -> str:
    token = env.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError(
            "DISCORD_TOKEN is not set: Discord needs the bot token from the Developer Portal "
            "(Bot → Reset Token). See docs/discord.md."
        )
    return token


def point_at(config: DiscordConfig) -> None:
    """Where discord.py sends REST calls and opens the gateway."""
    Route.BASE = config.api_base_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


async def log_in(client: discord.Client, token: str, api_base_url: str) -> None:
    """Log in with the token, or close the client and say what to check."""
    try:
        await client.login(token)
    except discord.LoginFailure:
        await client.close()
        raise DiscordStartError(
            "Discord refused DISCORD_TOKEN; reset the bot token in the Developer Portal "
            "and set it again"
        ) from None
    except (discord.HTTPException, OSError) as e:
        await client.close()
        raise DiscordStartError(
            f"cannot reach Discord at {api_base_url} ({e}); check the network "
            "or [discord] api_base_url"
        ) from None


IDENTIFY_INTERVAL_SECONDS = 5.0
"""Discord starts at most one session per 5 s in each identify bucket."""


class IdentifyPacing:
    """When a shard may IDENTIFY. Rule (Discord's): the shards of one bucket (shard id modulo
    `max_concurrency`, which GET /gateway/bot says) start 5 s apart; shards of different
    buckets start at once. A turn is reserved before waiting, so two shards re-identifying
    together still go 5 s apart."""

    def __init__(
        self,
        max_concurrency: int = 1,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.max_concurrency = max_concurrency
        self._now = now
        self._sleep = sleep
        self._next: dict[int, float] = {}

    async def wait_turn(self, shard_id: int | None) -> None:
        bucket = (shard_id or 0) % self.max_concurrency
        now = self._now()
        turn = max(now, self._next.get(bucket, now))
        self._next[bucket] = turn + IDENTIFY_INTERVAL_SECONDS
        if turn > now:
            await self._sleep(turn - now)


class ShardedClient(discord.AutoShardedClient):
    """discord.py's AutoShardedClient, its shards identifying at `IdentifyPacing`'s pace
    (discord.py's own hook waits 5 s before every shard but the first)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.pacing = IdentifyPacing()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        await self.pacing.wait_turn(shard_id)


def client_kind(config: DiscordConfig) -> type[discord.Client]:
    """One gateway connection, or shards (`[discord] shards = "auto"`)."""
    return ShardedClient if config.shards == "auto" else discord.Client


async def shards_to_start(client: discord.Client, config: DiscordConfig) -> int:
    """How many shards this process starts (0 for one plain connection), after telling a
    sharded client how many may identify at once. Discord's recommendation and limits come
    from GET /gateway/bot; when it does not answer, one at a time and the shards configured."""
    if not isinstance(client, ShardedClient):
        return 0
    configured = len(config.shard_ids) or config.shard_count or 1
    try:
        recommended, _, limits = await client.http.get_bot_gateway()
    except (discord.GatewayNotFound, discord.HTTPException, OSError):
        return configured
    client.pacing.max_concurrency = max(1, int(limits.get("max_concurrency", 1)))
    return len(config.shard_ids) or config.shard_count or recommended


def shards_described(client: discord.Client, config: DiscordConfig) -> str:
    """Which shards this process runs, as the start-up line says it."""
    if not isinstance(client, ShardedClient):
        return ""
    count = client.shard_count or config.shard_count
    ids = config.shard_ids or list(range(count))
    listed = ", ".join(str(i) for i in ids) if ids else "all"
    return f" (shards {listed} of {count or 'as many as Discord recommends'})"

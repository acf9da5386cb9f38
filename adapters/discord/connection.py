"""How the Discord adapter reaches Discord: the token, where discord.py connects, what it asks
for, and what a connection Discord ends for good means.

Rules:
- DISCORD_TOKEN is needed; a missing one stops the start with a message naming it;
- `[discord] api_base_url` and `gateway_url` are applied here, the one place that sets where
  discord.py connects (a proxy, or a local fake in tests);
- intents: guilds only (servers, their channels and roles, for `#channel` names and moderator
  roles); no message content, no member list, no presences: every command is an interaction;
- a gateway closed for good (4004: the token was reset; sharding required) is said in words an
  administrator can act on.
"""

from __future__ import annotations

from collections.abc import Mapping

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
    4010: 'Discord refused the shard (4010); check [discord] shards ("one" or "auto")',
    4011: "Discord requires sharding for a bot in this many servers (4011); set [discord] shards "
    '= "auto"',
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

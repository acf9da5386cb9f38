"""Discord's section of the config file (`[discord]`); the token is never here (see
adapters.discord.connection)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adapters.sections import ModeratorId, Section
from bot.kernel.settings import NamedModerator


class DiscordConfig(Section):
    """Discord runs when `enabled` or when DISCORD_TOKEN is set; the token comes from the
    environment, never from this file."""

    enabled: bool = False
    guild_ids: list[int] = Field(default_factory=list, max_length=100)
    moderator_roles: list[str] = Field(default_factory=list, max_length=50)
    shards: Literal["one", "auto"] = "one"
    api_base_url: str = Field(default="https://discord.com/api/v10", pattern=r"^https?://\S+[^/]$")
    gateway_url: str = Field(default="wss://gateway.discord.gg/", pattern=r"^wss?://\S+$")
    sends_per_second: float = Field(default=5.0, gt=0, le=50)


def _moderator(parts: list[str]) -> NamedModerator | None:
    if len(parts) == 2 and all(p.isdecimal() for p in parts):
        return NamedModerator("discord", parts[0], parts[1])
    return None


def _moderator_problem(entry: str, parts: list[str]) -> str | None:
    """The old `discord:<user id>` made them a moderator of every server the bot serves: it is
    refused, saying the new form, rather than guessed at."""
    if len(parts) != 1:
        return None
    return (
        f"'{entry}' does not say which server: a moderator named here moderates one server, "
        f"so write discord:<server id>:<user id>, e.g. discord:<server id>:{parts[0]} "
        "(right-click the server, Copy Server ID)"
    )


MODERATOR_ID = ModeratorId(
    "discord", "discord:<server id>:<user id>", _moderator, _moderator_problem
)

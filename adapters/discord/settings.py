"""Discord's section of the config file (`[discord]`); the token is never here (see
adapters.discord.connection)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adapters.sections import Section


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

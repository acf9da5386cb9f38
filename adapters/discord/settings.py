"""Discord's section of the config file (`[discord]`); the token is never here (see
adapters.discord.connection)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from adapters.sections import ModeratorId, Section
from bot.kernel.settings import NamedModerator


class DiscordConfig(Section):
    """Discord runs when `enabled` or when DISCORD_TOKEN is set; the token comes from the
    environment, never from this file."""

    enabled: bool = False
    guild_ids: list[int] = Field(default_factory=list, max_length=100)
    moderator_roles: list[str] = Field(default_factory=list, max_length=50)
    shards: Literal["one", "auto"] = "one"
    shard_count: int = Field(default=0, ge=0, le=100_000)
    """The total number of shards, the same in every process; 0: Discord's recommendation
    (GET /gateway/bot)."""
    shard_ids: list[int] = Field(default_factory=list)
    """The shards this process runs; empty: all of them."""
    api_base_url: str = Field(default="https://discord.com/api/v10", pattern=r"^https?://\S+[^/]$")
    gateway_url: str = Field(default="wss://gateway.discord.gg/", pattern=r"^wss?://\S+$")
    sends_per_second: float = Field(default=5.0, gt=0, le=50)

    @field_validator("shard_count")
    @classmethod
    def _sharded(cls, count: int, info: ValidationInfo) -> int:
        """A shard count means shards: with `shards = "one"` it would be ignored, so it is
        refused, saying what to add."""
        if count and info.data.get("shards") != "auto":
            raise ValueError(
                f'shard_count = {count} needs shards = "auto" in [discord] (one gateway '
                "connection has no shards)"
            )
        return count

    @field_validator("shard_ids")
    @classmethod
    def _among_the_shards(cls, ids: list[int], info: ValidationInfo) -> list[int]:
        """Shard ids name shards of `shard_count`, each once: 0 to shard_count - 1."""
        if not ids or "shard_count" not in info.data:
            return ids  # all the shards; or shard_count is wrong, and its own problem says so
        if info.data.get("shards") != "auto":
            raise ValueError('shard_ids needs shards = "auto" in [discord]')
        count = info.data["shard_count"]
        if not count:
            raise ValueError(
                "shard_ids needs shard_count: every process must be told the same total (or "
                "leave both out to run all the shards Discord recommends in one process)"
            )
        wrong = sorted({i for i in ids if not 0 <= i < count})
        if wrong:
            raise ValueError(
                f"{', '.join(map(str, wrong))} {'is' if len(wrong) == 1 else 'are'} not a shard "
                f"of shard_count = {count}: shard ids run from 0 to {count - 1}"
            )
        if len(set(ids)) != len(ids):
            raise ValueError(f"{ids} names a shard twice: name each shard once")
        return sorted(ids)

    def shard_options(self) -> dict[str, Any]:
        """What the client is told of its shards: nothing for one connection; otherwise the
        total and this process's shards when given (discord.py asks Discord when not)."""
        if self.shards == "one":
            return {}
        options: dict[str, Any] = {"shard_count": self.shard_count or None}
        if self.shard_ids:
            options["shard_ids"] = self.shard_ids
        return options


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

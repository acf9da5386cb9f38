"""Slack's section of the config file (`[slack]`); the tokens and the secrets are never here (see
adapters.slack.connection and adapters.slack.installs)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from adapters.sections import ModeratorId, Section
from bot.kernel.settings import NamedModerator

_SLACK_ID = re.compile(r"[A-Z0-9]{2,30}")
_PATH = r"^/[A-Za-z0-9/_-]*$"
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "files:write",
)
"""What the bot needs (manifest.json's oauth_config asks the same; a test compares them)."""


class SlackConfig(Section):
    """Slack runs when `enabled`, when SLACK_BOT_TOKEN is set or when `client_id` is; the tokens
    and the secrets come from the environment, never from this file. With `client_id`, many
    workspaces install the app themselves ("Add to Slack", over HTTP only); without it, one
    bot token serves its workspace."""

    enabled: bool = False
    mode: Literal["socket", "http"] = "socket"
    host: str = Field(default="0.0.0.0", min_length=1)
    port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (tests)
    path: str = Field(default="/slack/events", pattern=_PATH)
    api_base_url: str = Field(default="https://slack.com/api/", pattern=r"^https?://\S+/$")
    sends_per_second: float = Field(default=5.0, gt=0, le=100)
    client_id: str = Field(default="", pattern=r"^([0-9]+\.[0-9]+)?$")  # "": one bot token
    redirect_uri: str = Field(default="", pattern=r"^(https?://\S+)?$")  # "": the app's one
    install_path: str = Field(default="/slack/install", pattern=_PATH)
    redirect_path: str = Field(default="/slack/oauth_redirect", pattern=_PATH)
    install_link_seconds: int = Field(default=600, ge=60, le=3600)
    scopes: list[str] = Field(default_factory=lambda: list(BOT_SCOPES), min_length=1)

    @property
    def oauth(self) -> bool:
        """Many workspaces, each installing the app ("Add to Slack")."""
        return bool(self.client_id)

    @model_validator(mode="after")
    def _oauth_over_http(self) -> SlackConfig:
        if self.oauth and self.mode != "http":
            raise ValueError(
                '[slack] client_id ("Add to Slack") needs mode = "http": Slack sends the '
                "installer back to the bot's web address, and events come the same way"
            )
        return self


def _moderator(parts: list[str]) -> NamedModerator | None:
    if len(parts) == 2 and all(_SLACK_ID.fullmatch(p) for p in parts):
        return NamedModerator("slack", parts[0], parts[1])
    return None


def _moderator_problem(entry: str, parts: list[str]) -> str | None:
    if len(parts) != 1:
        return None
    return (
        f"'{entry}' does not say which workspace: a moderator named here moderates one "
        f"workspace, so write slack:<team id>:<user id>, e.g. slack:T0123ABCD:{parts[0]} "
        "(the team id starts with T)"
    )


MODERATOR_ID = ModeratorId("slack", "slack:<team id>:<user id>", _moderator, _moderator_problem)

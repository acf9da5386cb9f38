"""Slack's section of the config file (`[slack]`); the tokens and the signing secret are never
here (see adapters.slack.connection)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from adapters.sections import ModeratorId, Section
from bot.kernel.settings import NamedModerator

_SLACK_ID = re.compile(r"[A-Z0-9]{2,30}")


class SlackConfig(Section):
    """Slack runs when `enabled` or when SLACK_BOT_TOKEN is set; the tokens and the signing
    secret come from the environment, never from this file."""

    enabled: bool = False
    mode: Literal["socket", "http"] = "socket"
    host: str = Field(default="0.0.0.0", min_length=1)
    port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (tests)
    path: str = Field(default="/slack/events", pattern=r"^/[A-Za-z0-9/_-]*$")
    api_base_url: str = Field(default="https://slack.com/api/", pattern=r"^https?://\S+/$")
    sends_per_second: float = Field(default=5.0, gt=0, le=100)


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

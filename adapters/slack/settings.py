"""Slack's section of the config file (`[slack]`); the tokens and the signing secret are never
here (see adapters.slack.connection)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from adapters.sections import Section


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

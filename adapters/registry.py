"""The chat platforms this bot serves: the one place that names them.

Rule: the CLI and the service run every platform listed here, in this order, through the
contract in adapters.platform. Adding a platform is adding its folder, a line here, and two in
adapters.config: its section in `Settings` and its form of moderator id (its settings.py's
`MODERATOR_ID`) in `MODERATOR_IDS`.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.discord.runtime import DISCORD
from adapters.platform import Platform
from adapters.slack.runtime import SLACK

PLATFORMS: tuple[Platform, ...] = (SLACK, DISCORD)


def spoken(words: Sequence[str], conjunction: str) -> str:
    """Words as a sentence lists them: `Slack and Discord`, `A, B or C`."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"

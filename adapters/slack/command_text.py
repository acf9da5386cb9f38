"""Commands the bot's text names, as a Slack user types them: the slash command of that name, or
`/circles <line>` for what Slack reaches only through the umbrella command (help: Slack has a
/help of its own) and for anything the manifest does not install.

Rule: a reference is written with the commands manifest.json installs, so a text never names
a slash command this workspace does not have.
"""

from __future__ import annotations

from adapters.slack.manifest import NOT_ON_SLACK, UMBRELLA
from bot.features import CATALOG
from bot.kernel.command_refs import CommandRef, write_refs

ON_SLACK = frozenset(CATALOG.roots - NOT_ON_SLACK)
"""The roots with a slash command of their own."""


def slack_line(ref: CommandRef) -> str:
    """One reference as a Slack user types it."""
    words = ref.words
    if words and words[0].lower() in ON_SLACK:
        return ref.line
    return " ".join((UMBRELLA, *words))


def for_slack(text: str) -> str:
    """`text` with every command it names written for Slack."""
    return write_refs(text, slack_line)

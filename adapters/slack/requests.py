"""What a Slack request says: the line a slash command stands for, who sent an interaction, and
whether its answer is a form to open at once.

Rules: `/circles <line>` runs any command (for workspaces where a name is taken by another app),
and alone it shows the help; an interaction's workspace is the one the app is in, not the
sender's home team (they differ for a guest from another organisation); the check-in
(`/checkin`, `/checkin algebra`) is the one command whose answer is a form opened at once.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.manifest import UMBRELLA
from bot.features import CATALOG

__all__ = ["UMBRELLA", "command_line", "sender", "wants_form"]


def unescaped(text: str) -> str:
    """A slash command's text as the member typed it: Slack sends `&`, `<` and `>` as `&amp;`,
    `&lt;` and `&gt;` (what it draws as markup, a mention or a channel, comes as `<@U…|name>`),
    so "R&D" would otherwise be quoted back as "R&amp;D"."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def command_line(command: str, text: str) -> str:
    """The line the core parses for a slash command: `/kudos` + text, or `/circles <line>`, as
    typed."""
    text = unescaped(text)
    if command == UMBRELLA:
        return "/" + (text.strip().lstrip("/") or "help")
    return f"{command} {text}".strip()


def sender(body: dict[str, Any]) -> tuple[str, str]:
    """(workspace id, user id) of whoever sent an interaction."""
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or body.get("team_id") or user.get("team_id")
    return str(team), str(user.get("id") or body.get("user_id"))


def wants_form(line: str) -> bool:
    """True for a line whose answer is the check-in form: a modal is opened at once, before the
    core answers, while Slack's trigger is fresh."""
    found = CATALOG.find(line.lstrip("/").split())
    return found is not None and found[0].path == "checkin"

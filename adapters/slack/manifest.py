"""The Slack app manifest's slash commands, derived from the core's declarations: one slash
command per command name, described by its feature's line for that name, its usage hint made
of every form the name takes (never cut: the manifest test fails past Slack's limit); help is
reached through the umbrella command /circles.

Its bot events are the ones the adapter listens to, `app_uninstalled` and `tokens_revoked`
included (with "Add to Slack" they stop all sending to that workspace), and its bot scopes are
the ones the install asks for (`[slack] scopes`, by default BOT_SCOPES).

Rule: manifest.json is what a workspace administrator pastes into Slack, so it is a file in the
repository; after adding or changing a command, `python -m adapters.slack.manifest` writes it
again, and a test fails until then.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adapters.slack.settings import BOT_SCOPES
from bot.features import CATALOG, ROOTS

MANIFEST = Path(__file__).with_name("manifest.json")
UMBRELLA = "/circles"
HINT_LIMIT = 1000
"""The most characters Slack takes in a usage hint."""

UMBRELLA_ENTRY: dict[str, Any] = {
    "command": UMBRELLA,
    "description": "Mentor Circles: help, or any command (/circles kudos wall)",
    "usage_hint": "[command] e.g. help, findbuddy, kudos wall",
    "should_escape": True,
}
"""One command that runs any other (`/circles kudos wall`), and help (`/circles`)."""

BOT_EVENTS = ("app_home_opened", "user_change", "app_uninstalled", "tokens_revoked")
"""The Events API events the adapter listens to."""
NOT_ON_SLACK = frozenset({"help"})
"""Command names Slack reaches through the umbrella only (Slack has its own /help)."""


def usage_hint(root: str) -> str:
    """Every form of `/root`, after the name, separated by ` · `; when `/root` also runs alone
    and no form already starts with an optional part (`[subject]`), the whole hint is in
    brackets, optional (`/profile [set <field> <value>]`)."""
    forms = [spec.usage.removeprefix(f"/{root}").strip() for spec in CATALOG if spec.root == root]
    hint = " · ".join(form for form in forms if form)
    runs_alone = "" in forms
    return f"[{hint}]" if runs_alone and hint and not hint.startswith("[") else hint


def slash_commands() -> list[dict[str, Any]]:
    """The manifest's slash commands, in the order help lists the commands."""
    entries = [UMBRELLA_ENTRY]
    for root in dict.fromkeys(spec.root for spec in CATALOG):
        if root in NOT_ON_SLACK:
            continue
        entry: dict[str, Any] = {"command": f"/{root}", "description": ROOTS[root]}
        hint = usage_hint(root)
        if hint:
            entry["usage_hint"] = hint
        entry["should_escape"] = True
        entries.append(entry)
    return entries


def manifest() -> dict[str, Any]:
    """manifest.json as it should read, its slash commands derived from the core."""
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    data["features"]["slash_commands"] = slash_commands()
    data["oauth_config"]["scopes"]["bot"] = list(BOT_SCOPES)
    data["settings"]["event_subscriptions"]["bot_events"] = list(BOT_EVENTS)
    return data


def write() -> None:
    MANIFEST.write_text(json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    write()

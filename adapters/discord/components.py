"""Buttons: the core's actions as Discord components (its forms are adapters.discord.forms).

Rule: a button's custom id is `run:<server id>:<command>`: pressing it runs the command as typed
by whoever pressed it, in that server, so it keeps working after a restart and in a DM (which
has no server of its own); nothing else is kept anywhere.
"""

from __future__ import annotations

import discord

from bot.kernel.model import Action
from bot.kernel.text import without_bidi_controls

RUN = "run"
CUSTOM_ID_LIMIT = 100
_STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


def run_id(guild_id: str, command: str) -> str | None:
    custom_id = f"{RUN}:{guild_id}:{command}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def parse_run_id(custom_id: str) -> tuple[str, str] | None:
    """(server id, command) of a command button, or None for another component."""
    kind, _, rest = custom_id.partition(":")
    guild_id, _, command = rest.partition(":")
    return (guild_id, command) if kind == RUN and guild_id and command else None


def buttons(guild_id: str, actions: tuple[Action, ...]) -> discord.ui.View | None:
    """A view of command buttons; None when there are none. Never times out."""
    view = discord.ui.View(timeout=None)
    for action in actions[:25]:
        custom_id = run_id(guild_id, action.command)
        if custom_id is not None:
            style = _STYLES.get(action.style, discord.ButtonStyle.secondary)
            view.add_item(
                discord.ui.Button(
                    label=without_bidi_controls(action.label)[:80],
                    style=style,
                    custom_id=custom_id,
                )
            )
    if not view.children:
        return None
    view.stop()  # nothing waits on it: a press is an interaction like any other (no view store)
    return view

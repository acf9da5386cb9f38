"""What autocomplete offers as a member types an option: the server's circles, or the bot's
commands for `/help command:`.

Rules: which one is the focused option's (`adapters.discord.surface.Option.suggests`); circles
and the commands help lists for the member come from the core within the time Discord allows
(none when it is not quick enough), the commands named and summed up as on Discord; at most 25,
as Discord shows.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from discord import app_commands

from adapters.discord.surface import OPTIONS, Suggest, command_of, suggested_commands
from bot.circles.commands import SuggestCircles
from bot.kernel.model import Actor
from bot.runtime.bus import MessageBus
from bot.runtime.help import SuggestHelpTopics


async def suggestions(
    bus: MessageBus, actor: Actor, data: dict[str, Any], seconds: float
) -> list[app_commands.Choice[str]]:
    """The choices for an autocomplete interaction's `data`, within `seconds`."""
    option, typed = focused(data)
    choices: list[tuple[str, str]] = []
    commands = _suggests(data, option) is Suggest.COMMAND
    asked = SuggestHelpTopics(actor) if commands else SuggestCircles(actor, typed)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            found = (await bus.handle(asked)).choices
            choices = suggested_commands(typed, found) if commands else [(n, n) for n in found]
    return [app_commands.Choice(name=shown, value=value) for shown, value in choices]


def focused(data: dict[str, Any]) -> tuple[str, str]:
    """(name, what is typed so far) of the option an autocomplete is for."""
    options = list(data.get("options") or [])
    while options:
        option = options.pop(0)
        if option.get("focused"):
            return str(option.get("name") or ""), str(option.get("value") or "")
        options.extend(option.get("options") or [])
    return "", ""


def _suggests(data: dict[str, Any], option: str) -> Suggest | None:
    """What the command's option `option` offers as the member types."""
    spec = command_of(data)
    found = [o for o in OPTIONS[spec.path] if o.name == option] if spec is not None else []
    return found[0].suggests if found else None

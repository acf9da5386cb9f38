"""Commands the bot's text names, as Discord names them: its own command and subcommand, then
each option the text gives (`/kudos give person: reason:`), the command a clickable mention
(`</kudos give:123>`) where Discord told us its id.

Rules:
- the command is the one `adapters.discord.surface.discord_name` registers for it, so a text
  can never name a command Discord does not have;
- an option the text gives is `name:value`, or the shape of its parts (`answers:<1> | <2>`);
  one it leaves to fill is `name:` when required, `[name:]` when optional but named
  (`[@person]`, or in a usage), and otherwise left out;
- ids are learnt from the commands Discord lists for the bot, per server for commands installed
  in a server and globally otherwise; a command whose id is not known is written as `/name sub`;
- a reference that names no command is written as typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from adapters.discord.surface import discord_name
from adapters.shared.named_commands import Given, NamedCommand, named_command
from bot.kernel.command_refs import CommandRef, write_refs


def _option(given: Given, is_usage: bool) -> str:
    name = given.param.name
    if given.value is not None:
        return f"{name}:{given.value}"
    if given.shape is not None:
        return f"{name}:{given.shape}"
    if given.param.required:
        return f"{name}:"
    return f"[{name}:]" if is_usage or given.asked else ""


class CommandMentions:
    """The ids of the bot's commands on Discord, and texts written with them."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str | None, str], str] = {}

    def learn(self, guild_id: str | None, commands: Iterable[Mapping[str, Any]]) -> None:
        """Remember the ids Discord gave the commands (globally when `guild_id` is None)."""
        for command in commands:
            self._ids[(guild_id, str(command["name"]))] = str(command["id"])

    def forget(self) -> None:
        """Forget every id (the bot stopped; another start learns them again)."""
        self._ids.clear()

    def command(self, named: NamedCommand, guild_id: str | None) -> str:
        name, sub = discord_name(named.spec)
        full = f"{name} {sub}" if sub else name
        known = self._ids.get((guild_id, name)) or self._ids.get((None, name))
        return f"</{full}:{known}>" if known else f"/{full}"

    def write(self, ref: CommandRef, guild_id: str | None = None) -> str:
        """One reference as Discord shows it."""
        named = named_command(ref)
        if named is None:
            return ref.line
        options = (_option(given, named.is_usage) for given in named.given)
        return " ".join(filter(None, (self.command(named, guild_id), *options, *named.left_over)))

    def written(self, text: str, guild_id: str | None = None) -> str:
        """`text` with every command it names written for Discord."""
        return write_refs(text, lambda ref: self.write(ref, guild_id))


NO_IDS = CommandMentions()
"""Commands written without mentions (before the ids are known, or where they never are)."""

KNOWN_COMMANDS = CommandMentions()
"""The ids of this process's Discord application's commands, learnt when it starts (one
application per process, as the service runs one Discord adapter)."""

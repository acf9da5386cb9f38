"""What the member's home page shows; adapters ask for it, nobody types it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Command, CommandSpec


@dataclass(frozen=True)
class ShowHome(Command):
    """What the member's home page shows; adapters ask for it, nobody types it."""

    drawn_by_the_adapter = True


ROOTS: dict[str, str] = {}

COMMANDS: tuple[CommandSpec, ...] = ()

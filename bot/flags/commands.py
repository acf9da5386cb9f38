"""/flag: a private concern for the moderators only."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import LONGEST, Command, CommandSpec, text
from bot.kernel.model import Actor
from bot.kernel.parsing import Args


@dataclass(frozen=True)
class RaiseFlag(Command):
    text: str


def _flag(args: Args, actor: Actor) -> Command:
    text = args.rest()
    if not text:
        raise args.fail("Say what worries you; only the moderators will see it.")
    return RaiseFlag(actor, text)


ROOTS: dict[str, str] = {
    "flag": "a private concern for the moderators only",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "flag",
        "a private concern, delivered to the moderators only",
        _flag,
        params=(text("text", "what worries you; only the moderators see it", limit=LONGEST),),
    ),
)

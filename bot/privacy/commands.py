"""The privacy commands: export my data, erase it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Command, CommandSpec, choice
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.runtime.builders import (
    no_words,
)


@dataclass(frozen=True)
class ExportMyData(Command):
    """Everything stored about the member, as a JSON file."""


@dataclass(frozen=True)
class DeleteMyData(Command):
    """Without `confirmed`, says what would be erased and how to confirm; with it, erases."""

    confirmed: bool = False


def _privacy_delete(args: Args, actor: Actor) -> Command:
    confirmed = args.choice("confirm", ("confirm",)) == "confirm" if args.peek() else False
    args.end()
    return DeleteMyData(actor, confirmed)


ROOTS: dict[str, str] = {
    "privacy": "export everything stored about me, or erase my personal data",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "privacy export",
        "everything stored about me, as a file",
        no_words(lambda a: ExportMyData(a)),
    ),
    CommandSpec(
        "privacy delete",
        "erase my personal data (asks first)",
        _privacy_delete,
        params=(
            choice(
                "confirm",
                "say confirm to erase; without it I only explain",
                ("confirm",),
                required=False,
            ),
        ),
        details="Your pairings and kudos stay as anonymous records, so the programme's counts "
        "still add up; everything that names you or that you wrote is erased.",
    ),
)

"""The moderators' /stats, as text and a chart or as CSV files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.kernel.commands import Audience, Builder, Command, CommandSpec, circle
from bot.kernel.model import Actor
from bot.kernel.parsing import Args


@dataclass(frozen=True)
class ShowStats(Command):
    circle: str | None = None


@dataclass(frozen=True)
class ExportStats(Command):
    circle: str | None = None


def _stats(make: Callable[[Actor, str | None], Command]) -> Builder:
    def builder(args: Args, actor: Actor) -> Command:
        circle = args.optional_word()
        args.end()
        return make(actor, circle)

    return builder


ROOTS: dict[str, str] = {
    "stats": "moderators: the programme's last 12 weeks, as text and a chart; or as CSV",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "stats",
        "the programme's last 12 weeks, as text and a chart",
        _stats(lambda a, circle: ShowStats(a, circle)),
        params=(circle("only this circle", required=False),),
        audience=Audience.MODERATORS,
    ),
    CommandSpec(
        "stats export",
        "the same numbers as a CSV file",
        _stats(lambda a, circle: ExportStats(a, circle)),
        params=(circle("only this circle", required=False),),
        audience=Audience.MODERATORS,
    ),
)

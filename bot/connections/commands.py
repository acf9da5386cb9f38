"""The answers to what an ending asks: /buddy reflect, /buddy keep and /buddy letgo."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.command_refs import command_ref
from bot.kernel.commands import Command, CommandSpec, person, text
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.runtime.builders import one_person

REFLECTION_LIMIT = 500


@dataclass(frozen=True)
class Reflect(Command):
    text: str


@dataclass(frozen=True)
class KeepInTouch(Command):
    user_id: str


@dataclass(frozen=True)
class LetGo(Command):
    user_id: str


def _reflect(args: Args, actor: Actor) -> Command:
    words = args.rest()
    if not words:
        raise args.fail(
            f"Say what you'll take from your pairing: {command_ref('/buddy reflect <your words>')}."
        )
    return Reflect(actor, words)


ROOTS: dict[str, str] = {}
"""None of its own: its commands are under /buddy, the buddies feature's."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "buddy reflect",
        "answer the question about a pairing that ended; only you read it",
        _reflect,
        params=(text("words", "what you'll take from these weeks", limit=REFLECTION_LIMIT),),
        details=f"Kept for you alone (it is in your {command_ref('/privacy export')}); nobody else "
        "reads it.",
    ),
    CommandSpec(
        "buddy keep",
        "yes, stay in touch with a buddy whose pairing ended",
        one_person(lambda a, u: KeepInTouch(a, u)),
        params=(person("your former buddy"),),
        details=f"When you both say yes, you each keep the other in {command_ref('/buddy')}.",
    ),
    CommandSpec(
        "buddy letgo",
        "no, or no longer, stay in touch with someone",
        one_person(lambda a, u: LetGo(a, u)),
        params=(person("your former buddy"),),
        details="Nobody is told: a connection simply leaves both lists.",
    ),
)

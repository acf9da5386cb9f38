"""/guide and /agreement: the programme's guide, and the agreement at the start of a pairing."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Command, CommandSpec, person
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.runtime.builders import no_words


@dataclass(frozen=True)
class ShowGuide(Command):
    pass


@dataclass(frozen=True)
class ShowAgreement(Command):
    pass


@dataclass(frozen=True)
class ConfirmAgreement(Command):
    user_id: str | None = None
    """The partner whose pairing's agreement it is; None: the only one waiting."""


def _confirm(args: Args, actor: Actor) -> Command:
    user_id = args.mention("your mentor or mentee (@name)") if args.peek() else None
    args.end()
    return ConfirmAgreement(actor, user_id)


ROOTS: dict[str, str] = {
    "guide": "the programme's guide for mentors",
    "agreement": "the agreement of my mentoring pairing; confirm it",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "guide",
        "the programme's guide: listening, goals, boundaries, concerns",
        no_words(ShowGuide),
    ),
    CommandSpec(
        "agreement",
        "the agreement of my mentoring pairings, and who has confirmed it",
        no_words(ShowAgreement),
    ),
    CommandSpec(
        "agreement confirm",
        "I agree to my mentoring pairing's agreement",
        _confirm,
        params=(person("your mentor or mentee", required=False),),
        details="With one mentoring pairing the person can be left out.",
    ),
)

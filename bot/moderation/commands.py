"""The moderators' /audit and /blackout commands."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Audience, Command, CommandSpec, date, number
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.runtime.builders import (
    no_words,
)


@dataclass(frozen=True)
class ShowAudit(Command):
    limit: int = 20


@dataclass(frozen=True)
class AddBlackout(Command):
    first: str
    last: str | None = None


@dataclass(frozen=True)
class ListBlackouts(Command):
    pass


@dataclass(frozen=True)
class RemoveBlackout(Command):
    day: str


AUDIT_LIMIT = 200


def _audit(args: Args, actor: Actor) -> Command:
    word = args.optional_word()
    args.end()
    if word is None:
        return ShowAudit(actor)
    if not word.isdecimal() or not 1 <= int(word) <= AUDIT_LIMIT:
        raise args.fail(f"How many entries: a number from 1 to {AUDIT_LIMIT}.")
    return ShowAudit(actor, int(word))


def _blackout_add(args: Args, actor: Actor) -> Command:
    first = args.word("the first date (YYYY-MM-DD)")
    last = args.optional_word()
    args.end()
    return AddBlackout(actor, first, last)


def _blackout_remove(args: Args, actor: Actor) -> Command:
    day = args.word("a date of the blackout (YYYY-MM-DD)")
    args.end()
    return RemoveBlackout(actor, day)


ROOTS: dict[str, str] = {
    "audit": "moderators: what moderators did with members' data",
    "blackout": "moderators: holidays with no rounds and no check-ins",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "audit",
        "what moderators did with members' data, newest first",
        _audit,
        params=(number("number", "how many entries", 1, AUDIT_LIMIT, required=False),),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "blackout add",
        "holidays: no rounds and no check-ins on these dates, workspace-wide",
        _blackout_add,
        params=(
            date("first", "the first date, YYYY-MM-DD", shown="<YYYY-MM-DD>"),
            date("last", "the last date, YYYY-MM-DD", required=False, shown="[<YYYY-MM-DD>]"),
        ),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "blackout list",
        "the workspace's blackout dates",
        no_words(lambda a: ListBlackouts(a)),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "blackout remove",
        "remove the blackout that includes this date",
        _blackout_remove,
        params=(date("date", "a date of the blackout, YYYY-MM-DD", shown="<YYYY-MM-DD>"),),
        audience=Audience.MODERATORS_ONLY,
    ),
)

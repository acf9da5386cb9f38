"""The goal commands: add (typed, or a form), list, done, progress, drop, share, and the
moderators' counts.

A goal is named by its number in `/goal list` (`1` to `5`); the buttons under the message that
asks about a goal's date name it by its id instead (`g12`), so a list that changed since cannot
send them to another goal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kernel.command_refs import command_ref
from bot.kernel.commands import (
    Audience,
    Command,
    CommandSpec,
    choice,
    circle,
    date,
    number,
    person,
    text,
)
from bot.kernel.model import Actor
from bot.kernel.parsing import Args, parse_on_off
from bot.runtime.builders import circle_name


@dataclass(frozen=True)
class AddGoal(Command):
    text: str
    by: str | None = None
    """The date as typed (checked by the handler, in the member's own calendar)."""
    from_form: bool = False
    """Sent from the form: with no text it is refused, not answered with the form again."""


@dataclass(frozen=True)
class ShowGoals(Command):
    user_id: str | None = None
    """Someone else's goals (their mentor, buddy or circle, when shared)."""


@dataclass(frozen=True)
class GoalDone(Command):
    which: str


@dataclass(frozen=True)
class GoalProgress(Command):
    which: str
    note: str


@dataclass(frozen=True)
class DropGoal(Command):
    which: str


@dataclass(frozen=True)
class ShareGoals(Command):
    shared: bool


@dataclass(frozen=True)
class ShowGoalCounts(Command):
    circle: str | None = None


_ISO_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?$")
_DAY_WORDS = frozenset(
    [
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "week",
        "month",
        "year",
    ]
)


def split_date(words: str) -> tuple[str, str | None]:
    """(the goal's text, its date as typed or None): the date is the last word when it is a day
    written YYYY-MM-DD, with or without `by` before it; after `by`, a last word written like a
    date (`20/3`) or a day's word (`friday`) is a date too, which the handler refuses with what
    to type instead. Any other last word is part of the text ("Run 5k by myself", "Score 7.5")."""
    parts = words.split()
    if not parts:
        return "", None
    last = parts[-1]
    after_by = len(parts) >= 2 and parts[-2].lower() == "by"
    looks_like = _DATE_LIKE.match(last) or last.lower().strip(".!") in _DAY_WORDS
    if _ISO_DAY.match(last) or (after_by and looks_like):
        cut = words.rfind(parts[-2]) if after_by else words.rfind(last)
        return words[:cut].strip(), last
    return words.strip(), None


def _add(args: Args, actor: Actor) -> Command:
    goal, by = split_date(args.rest())
    return AddGoal(actor, goal, by)


def _list(args: Args, actor: Actor) -> Command:
    user_id = args.mention("whose goals (@name)") if args.peek() else None
    args.end()
    return ShowGoals(actor, user_id)


def _which(args: Args) -> str:
    return args.word(f"the goal's number (shown by {command_ref('/goal list')})")


def _done(args: Args, actor: Actor) -> Command:
    which = _which(args)
    args.end()
    return GoalDone(actor, which)


def _drop(args: Args, actor: Actor) -> Command:
    which = _which(args)
    args.end()
    return DropGoal(actor, which)


def _progress(args: Args, actor: Actor) -> Command:
    which = _which(args)
    note = args.rest()
    if not note:
        raise args.fail("Say how it is going after the goal's number.")
    return GoalProgress(actor, which, note)


def _share(args: Args, actor: Actor) -> Command:
    word = args.choice("on or off", ("on", "off"))
    args.end()
    return ShareGoals(actor, parse_on_off(word, "Sharing"))


def _counts(args: Args, actor: Actor) -> Command:
    name = circle_name(args) if args.peek() else None
    args.end()
    return ShowGoalCounts(actor, name)


ROOTS: dict[str, str] = {
    "goal": "your goals: set them, note progress, mark them reached",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

GOAL_NUMBER = number("number", "the goal's number, as /goal list shows it", 1, 99)

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "goal add",
        "set yourself a goal, perhaps by a date (no text opens a form)",
        _add,
        params=(
            text("goal", "what you mean to do, 3 to 200 characters", required=False, limit=200),
            date("date", "by when, YYYY-MM-DD", required=False, shown="[by <date>]"),
        ),
        details="At most 5 open goals at once. Your mentor and buddies see them; your circle "
        "only if you share them.",
    ),
    CommandSpec(
        "goal list",
        "your open goals, numbered; or a buddy's or mentee's",
        _list,
        params=(person("whose goals", required=False),),
    ),
    CommandSpec("goal done", "mark a goal reached", _done, params=(GOAL_NUMBER,)),
    CommandSpec(
        "goal progress",
        "note how a goal is going",
        _progress,
        params=(GOAL_NUMBER, text("note", "how it is going, up to 500 characters", limit=500)),
    ),
    CommandSpec("goal drop", "let a goal go", _drop, params=(GOAL_NUMBER,)),
    CommandSpec(
        "goal share",
        "show your goals to your circles, or stop (off by default)",
        _share,
        params=(choice("sharing", "on or off", ("on", "off")),),
    ),
    CommandSpec(
        "goal counts",
        "how many goals each member has open and reached, never their words",
        _counts,
        params=(circle("only this circle", required=False),),
        audience=Audience.MODERATORS_ONLY,
    ),
)

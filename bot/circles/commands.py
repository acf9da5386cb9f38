"""The circle commands: list, info, join, leave, and the moderators' create, add, remove,
archive and set."""

from __future__ import annotations

from dataclasses import dataclass

from bot.circles.settings import CIRCLE_SETTINGS_HELP, SETTING_KEYS
from bot.kernel.circle_names import CIRCLE_NAME_RULE
from bot.kernel.commands import Audience, Command, CommandSpec, choice, circle, person, text
from bot.kernel.model import Actor, CircleRole
from bot.kernel.parsing import Args
from bot.runtime.builders import (
    MEMBER_ROLES,
    ROLE_WORDS,
    circle_name,
    circle_named,
    no_words,
)


@dataclass(frozen=True)
class ListCircles(Command):
    pass


@dataclass(frozen=True)
class ShowMyCircles(Command):
    """The circles the member is in, with their part in each."""


@dataclass(frozen=True)
class ShowCircle(Command):
    name: str


@dataclass(frozen=True)
class JoinCircle(Command):
    name: str
    role: CircleRole | None = None


@dataclass(frozen=True)
class LeaveCircle(Command):
    name: str


@dataclass(frozen=True)
class CreateCircle(Command):
    name: str
    topic: str = ""


@dataclass(frozen=True)
class AddToCircle(Command):
    user_id: str
    name: str
    role: str | None = None  # "mentor", "mentee" or "facilitator"


@dataclass(frozen=True)
class RemoveFromCircle(Command):
    user_id: str
    name: str


@dataclass(frozen=True)
class ArchiveCircle(Command):
    name: str


@dataclass(frozen=True)
class SetCircleOption(Command):
    name: str
    key: str
    value: str


@dataclass(frozen=True)
class SuggestCircles(Command):
    """Circle names starting with or containing `typed`, for a platform's autocomplete."""

    drawn_by_the_adapter = True

    typed: str = ""


def _circle_join(args: Args, actor: Actor) -> Command:
    name = circle_name(args, role_may_follow=True)
    role = args.optional_as_role(MEMBER_ROLES)
    args.end()
    return JoinCircle(actor, name, CircleRole(role) if role else None)


def _circle_create(args: Args, actor: Actor) -> Command:
    name = args.word("the circle's name")
    return CreateCircle(actor, name, args.rest())


def _circle_add(args: Args, actor: Actor) -> Command:
    user_id = args.mention()
    name = circle_name(args, role_may_follow=True)
    role = args.optional_as_role(ROLE_WORDS)
    args.end()
    return AddToCircle(actor, user_id, name, role)


def _circle_remove(args: Args, actor: Actor) -> Command:
    user_id = args.mention()
    name = circle_name(args)
    args.end()
    return RemoveFromCircle(actor, user_id, name)


def _circle_set(args: Args, actor: Actor) -> Command:
    name = args.word("the circle's name")
    key = args.word("a setting").lower()
    value = args.rest()
    if not value:
        raise args.fail(f"Missing a value for {key}.")
    return SetCircleOption(actor, name, key, value)


ROOTS: dict[str, str] = {
    "circle": "circles: list, info, join, leave (moderators: create, add, remove, archive, set)",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "circle list", "circles I can see, with member counts", no_words(lambda a: ListCircles(a))
    ),
    CommandSpec(
        "circle mine",
        "the circles I am in, my part in each and when they meet",
        no_words(ShowMyCircles),
    ),
    CommandSpec(
        "circle info",
        "topic, members by role, cadence",
        circle_named(lambda a, n: ShowCircle(a, n)),
        params=(circle(called="name"),),
    ),
    CommandSpec(
        "circle join",
        "join an open circle",
        _circle_join,
        params=(
            circle(called="name"),
            choice("role", "join as", ("mentor", "mentee"), required=False, prefix="as"),
        ),
    ),
    CommandSpec(
        "circle leave",
        "leave a circle (the last facilitator leaves it to the moderators)",
        circle_named(lambda a, n: LeaveCircle(a, n)),
        params=(circle(called="name"),),
    ),
    CommandSpec(
        "circle create",
        "a new circle",
        _circle_create,
        params=(
            text("name", "1 to 40 letters, digits, - or _", limit=40),
            text("topic", "what the circle is for", required=False, limit=200, quoted=True),
        ),
        audience=Audience.MODERATORS_ONLY,
        details=f"The name is {CIRCLE_NAME_RULE}.",
    ),
    CommandSpec(
        "circle add",
        "add someone to a circle, or make them its facilitator",
        _circle_add,
        params=(
            person("who to add"),
            circle(called="name"),
            choice("role", "as", ("mentor", "mentee", "facilitator"), required=False, prefix="as"),
        ),
        audience=Audience.MODERATORS,
    ),
    CommandSpec(
        "circle remove",
        "take someone out of a circle",
        _circle_remove,
        params=(
            person("who to take out"),
            circle(called="name"),
        ),
        audience=Audience.MODERATORS,
    ),
    CommandSpec(
        "circle archive",
        "close a circle, keeping its history",
        circle_named(lambda a, n: ArchiveCircle(a, n)),
        params=(circle(called="name"),),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "circle set",
        "change a circle's settings",
        _circle_set,
        params=(
            circle(called="name"),
            choice("key", "which setting", SETTING_KEYS),
            text("value", "the new value (see /help command:circle set)", limit=1600),
        ),
        audience=Audience.MODERATORS,
        details=CIRCLE_SETTINGS_HELP,
    ),
)

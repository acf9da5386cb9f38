"""Who may see and manage a circle.

Rules:
- a private circle is invisible to everyone but its members and the moderators: to others it
  does not exist, in listings, lookups and error messages alike;
- moderators manage every circle; a facilitator manages the circles they facilitate;
- an archived circle can be looked at but not joined or changed.
"""

from __future__ import annotations

import re

from bot.catalog import SPECS_BY_PATH, not_a_circle_name, suggested_circle_name
from bot.errors import NotAllowed, NotFound, UserError
from bot.handlers.context import Context
from bot.model import Circle, Membership
from bot.text import neutralise

_CIRCLE_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
RESERVED_NAMES = frozenset(path.split()[1] for path in SPECS_BY_PATH if len(path.split()) == 2) | {
    "help"
}


def check_circle_name(name: str) -> str:
    """A new circle's name: 1 to 40 plain characters, and not a word a command that takes a
    circle reads as a subcommand (`/checkin skip` must never mean a circle called skip)."""
    if not _CIRCLE_NAME.fullmatch(name):
        made = suggested_circle_name(name)
        example = f" Try /circle create {made} <topic>." if made else ""
        raise UserError(not_a_circle_name(name) + example)
    if name.lower() in RESERVED_NAMES:
        raise UserError(f"'{name}' is a command word; choose another name for the circle.")
    return name


_QUOTES = ('"', '"'), ("\u201c", "\u201d")


def name_and_topic(first_word: str, rest: str) -> tuple[str, str]:
    """`/circle create <name> [topic]`: the name is the first word, the topic the rest, except
    that a line that reads as one name with spaces in it is refused, never split: a one-word
    topic (`Study Group!`, `study group`) or a capitalised name with a topic (`Python Beginners
    club`). A topic in double quotes is always the topic, without its quotes."""
    name = check_circle_name(first_word)
    for opening, closing in _QUOTES:
        if len(rest) >= 2 and rest.startswith(opening) and rest.endswith(closing):
            return name, rest[1:-1]
    if rest and (len(rest.split()) == 1 or name != name.lower()):
        raise UserError(_spaced_name(name, rest))
    return name, rest


def _spaced_name(name: str, rest: str) -> str:
    whole = f"{name} {rest}"
    made = suggested_circle_name(whole)
    return (
        f"'{neutralise(whole, 50)}' reads as one name, but a circle's name is one word. "
        f"Name it like this: /circle create {made} <topic>\n"
        f"If {name} is the name and '{neutralise(rest, 40)}' its topic, put the topic in quotes: "
        f'/circle create {name} "{neutralise(rest, 200)}"'
    )


async def my_membership(ctx: Context, circle: Circle) -> Membership | None:
    assert circle.id is not None
    assert ctx.me.id is not None
    return await ctx.uow.circles.membership(circle.id, ctx.me.id)


async def can_see(ctx: Context, circle: Circle) -> bool:
    if not circle.settings.private or ctx.is_moderator:
        return True
    return await my_membership(ctx, circle) is not None


async def visible_circle(ctx: Context, name: str) -> Circle:
    circle = await ctx.uow.circles.get_by_name(ctx.me.ref.workspace, name)
    if circle is None or not await can_see(ctx, circle):
        raise NotFound(no_such_circle(name))
    return circle


def no_such_circle(typed: str) -> str:
    """There is no circle by that name, as far as this member may know; a typed name that could
    never be one is told what a name looks like."""
    if not _CIRCLE_NAME.fullmatch(typed):
        return f"{not_a_circle_name(typed)} /circle list shows the circles."
    return f"There is no circle called '{neutralise(typed, 50)}'. /circle list shows them."


async def managed_circle(
    ctx: Context, name: str, action: str, *, archived_too: bool = False
) -> Circle:
    """A circle the actor may manage, not archived (unless `archived_too`, for looking);
    otherwise a plain refusal."""
    circle = await visible_circle(ctx, name)
    if not ctx.is_moderator:
        membership = await my_membership(ctx, circle)
        if membership is None or not membership.facilitator:
            raise NotAllowed(f"Only moderators and {circle.name}'s facilitators can {action}.")
    if circle.is_archived and not archived_too:
        raise UserError(f"{circle.name} is archived; it can no longer be changed.")
    return circle


def require_moderator(ctx: Context, action: str) -> None:
    if not ctx.is_moderator:
        raise NotAllowed(f"Only moderators can {action}.")

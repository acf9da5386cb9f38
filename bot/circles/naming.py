"""A new circle's name and topic, as `/circle create` reads them."""

from __future__ import annotations

from collections.abc import Iterable

from bot.kernel.circle_names import is_circle_name, not_a_circle_name, suggested_circle_name
from bot.kernel.command_refs import command_ref
from bot.kernel.commands import CommandSpec
from bot.kernel.errors import UserError
from bot.kernel.text import neutralise


def reserved_names(commands: Iterable[CommandSpec]) -> frozenset[str]:
    """The words no circle may be called: every subcommand's word, and help."""
    return frozenset(s.path.split()[1] for s in commands if " " in s.path) | {"help"}


def check_circle_name(name: str, reserved: frozenset[str]) -> str:
    """A new circle's name: 1 to 40 plain characters, and not a word a command that takes a
    circle reads as a subcommand (`/checkin skip` must never mean a circle called skip)."""
    if not is_circle_name(name):
        made = suggested_circle_name(name)
        example = f" Try {command_ref(f'/circle create {made} <topic>')}." if made else ""
        raise UserError(not_a_circle_name(name) + example)
    if name.lower() in reserved:
        raise UserError(f"'{name}' is a command word; choose another name for the circle.")
    return name


_QUOTES = ('"', '"'), ("\u201c", "\u201d")


def name_and_topic(first_word: str, rest: str, reserved: frozenset[str]) -> tuple[str, str]:
    """`/circle create <name> [topic]`: the name is the first word, the topic the rest, except
    that a line that reads as one name with spaces in it is refused, never split: a one-word
    topic (`Study Group!`, `study group`) or a capitalised name with a topic (`Python Beginners
    club`). A topic in double quotes is always the topic, without its quotes."""
    name = check_circle_name(first_word, reserved)
    for opening, closing in _QUOTES:
        if len(rest) >= 2 and rest.startswith(opening) and rest.endswith(closing):
            return name, rest[1:-1]
    if rest and (len(rest.split()) == 1 or name != name.lower()):
        raise UserError(_spaced_name(name, rest))
    return name, rest


def _spaced_name(name: str, rest: str) -> str:
    whole = f"{name} {rest}"
    made = suggested_circle_name(whole)
    quoted = command_ref(f'/circle create {name} "{neutralise(rest, 200)}"')
    return (
        f"'{neutralise(whole, 50)}' reads as one name, but a circle's name is one word. "
        f"Name it like this: {command_ref(f'/circle create {made} <topic>')}\n"
        f"If {name} is the name and '{neutralise(rest, 40)}' its topic, put the topic in quotes: "
        f"{quoted}"
    )

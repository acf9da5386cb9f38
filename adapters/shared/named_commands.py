"""A command the bot's text names, read against its declaration: which command it is, and what
it says for each parameter, for a platform that shows commands as typed options (Discord).

Rules:
- the command is the longest declared path the line starts with; a line naming no command is
  None (the renderer writes it as typed);
- a person takes the first mention wherever it stands; the other words go to the other
  parameters in the usage's order: `as <role>` a role, `#value` a value, a choice one of its
  words; a text followed by a parameter with no mark of its own (a topic after a name) takes
  one word (or a quoted group), otherwise every word up to the next one that belongs to a later
  parameter (`#value` after a kudos reason);
- a placeholder (`<name>`, `[reason]`, `@someone`, `…`) says the parameter is asked for without
  a value; a parameter the line leaves out has no value either;
- a usage line gives every parameter without a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.features import CATALOG
from bot.kernel.command_refs import CommandRef
from bot.kernel.commands import CommandSpec, Kind, Param

_WORD = re.compile(r'<[^<>]*>|\[[^\[\]]*\]|"[^"]*"|\S+')
_PLACEHOLDER_PEOPLE = frozenset({"@person", "@someone", "@name"})


@dataclass(frozen=True)
class Given:
    """A parameter as the text names it: its value, or None where the text leaves it to fill."""

    param: Param
    value: str | None
    asked: bool = False
    """The text names the parameter with a placeholder (`[@person]`), even if it is optional."""
    shape: str | None = None
    """A placeholder that shows how the value is written in parts (`<1> | <2>`)."""


@dataclass(frozen=True)
class NamedCommand:
    spec: CommandSpec
    given: tuple[Given, ...]
    is_usage: bool
    left_over: tuple[str, ...] = ()
    """Words no parameter took (none, for a reference the core writes well)."""


def is_placeholder(word: str) -> bool:
    person_typed = word.startswith(("<@", "<#", "<\u200b"))
    return (
        (word.startswith("<") and word.endswith(">") and not person_typed)
        or (word.startswith("[") and word.endswith("]"))
        or word in ("…", "...")
        or word.lower() in _PLACEHOLDER_PEOPLE
    )


def _is_mention(word: str) -> bool:
    return word.startswith(("@", "<@", "<\u200b@"))


def _fits(param: Param, words: list[str], at: int) -> bool:
    """Whether the word at `at` can start `param`'s value."""
    word = words[at]
    if is_placeholder(word):
        return param.kind is not Kind.PERSON or "@" in word
    if param.kind is Kind.PERSON:
        return _is_mention(word)
    if param.prefix == "as":
        return word.lower() == "as" and at + 1 < len(words)
    if param.prefix == "#":
        return word.startswith("#")
    if param.kind is Kind.CHOICE:
        return word.lower() in param.choices
    return True


def _unquoted(word: str) -> str:
    """A quoted group's words (quotes keep a console topic apart from a name; an option needs
    none)."""
    return word[1:-1] if len(word) > 1 and word[0] == word[-1] == '"' else word


def _value(param: Param, words: list[str], at: int, later: tuple[Param, ...]) -> tuple[str, int]:
    """The value `param` takes from `words[at:]`, and the index after it."""
    if param.prefix == "as":
        return words[at + 1], at + 2
    if param.prefix == "#":
        return words[at].removeprefix("#"), at + 1
    unprefixed_later = any(not p.prefix and p.kind is not Kind.PERSON for p in later)
    if param.kind is not Kind.TEXT or (is_placeholder(words[at]) and later) or unprefixed_later:
        return _unquoted(words[at]), at + 1
    end = at + 1
    while end < len(words) and not any(_fits(p, words, end) for p in later if p.prefix):
        end += 1
    return _unquoted(" ".join(words[at:end])), end


def _people(spec: CommandSpec, words: list[str]) -> dict[str, str]:
    """Each person parameter's word, taken out of `words`: the first mention (or `@person`
    placeholder) not yet taken, wherever it stands (a moderator's `/profile set @ada role
    mentor` names the person first, Discord's options last)."""
    taken: dict[str, str] = {}
    for param in spec.params:
        if param.kind is not Kind.PERSON:
            continue
        at = next((i for i, w in enumerate(words) if _fits(param, words, i) and "@" in w), None)
        if at is not None:
            taken[param.name] = words.pop(at)
    return taken


def _given_from_line(spec: CommandSpec, words: list[str]) -> tuple[tuple[Given, ...], list[str]]:
    words = list(words)
    people = _people(spec, words)
    given: list[Given] = []
    at = 0
    others = tuple(p for p in spec.params if p.kind is not Kind.PERSON)
    for param in spec.params:
        if param.kind is Kind.PERSON:
            value: str | None = people.get(param.name)
        elif at < len(words) and _fits(param, words, at):
            later = others[others.index(param) + 1 :]
            value, at = _value(param, words, at, later)
        else:
            value = None
        asked = value is not None and is_placeholder(value)
        shape = value if asked and value is not None and " | " in value else None
        given.append(Given(param, None if asked else value, asked, shape))
    return tuple(given), words[at:]


@lru_cache(maxsize=4096)
def named_command(ref: CommandRef) -> NamedCommand | None:
    """The command `ref` names, with what it gives each parameter; None for no command (kept
    for the next text that names it the same way: the declarations do not change while the
    bot runs)."""
    words = _WORD.findall(ref.line.lstrip("/"))
    found = CATALOG.find(words)
    if found is None:
        return None
    spec, used = found
    if ref.is_usage:
        return NamedCommand(spec, tuple(Given(p, None) for p in spec.params), True)
    given, left_over = _given_from_line(spec, words[used:])
    return NamedCommand(spec, given, False, tuple(left_over))

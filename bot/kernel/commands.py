"""What a command is, declared once: the frozen order a handler runs (`Command`), and the
declaration that every surface reads (`CommandSpec` with typed, platform-neutral `Param`s).

Rules:
- each feature declares its commands in its own `commands.py`: the dataclass, how its words are
  read (`build`), and its parameters; console help and usage, Slack's manifest, Discord's options
  and the docs all derive from that one declaration, and a test fails if any surface disagrees;
- a parameter is a person, a circle's name, a text with its limit, a choice, a date or a number;
  the usage line shows them in order (`@person`, `<name>` when required, `[name]` when not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.kernel.model import Actor
from bot.kernel.parsing import Args


@dataclass(frozen=True)
class Command:
    actor: Actor

    drawn_by_the_adapter: ClassVar[bool] = False
    """An adapter may show the reply as a page, a list or a form rather than as text (a note
    for the member then waits for their next command; see bot.runtime.unreachable)."""


class Audience(StrEnum):
    """Who may use a command (the handlers check it; help and the docs say it)."""

    EVERYONE = "everyone"
    MODERATORS = "moderators and facilitators"
    """Moderators, and a circle's facilitators for their own circle."""
    MODERATORS_ONLY = "moderators"


class Kind(StrEnum):
    """What a parameter holds, whatever the platform."""

    PERSON = "person"
    CIRCLE = "circle"
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    NUMBER = "number"


LONGEST = 6000
"""The most characters a concern or a check-in answer may have, however it is typed."""

CHOICES_SHOWN = 3
"""A choice of at most this many words shows them in the usage (`[week|month|all]`)."""


@dataclass(frozen=True)
class Param:
    """One typed parameter of a command, in the order the usage shows it."""

    name: str
    description: str
    kind: Kind = Kind.TEXT
    required: bool = True
    choices: tuple[str, ...] = ()
    limit: int | None = None
    """The most characters a text, circle or date may have."""
    low: int | None = None
    high: int | None = None
    prefix: str = ""
    """Written before the value in the line (`as` for a role, `#` for a kudos value)."""
    quoted: bool = False
    """Written in double quotes: a text the core would otherwise read on from the word before
    (a circle's topic is then never taken for more of its name)."""
    shown: str | None = None
    """How the usage shows it, when the rule below does not say it well; "" leaves it out."""

    def in_usage(self) -> str:
        if self.shown is not None:
            return self.shown
        if self.kind is Kind.PERSON:
            word = "@person"
            return word if self.required else f"[{word}]"
        if self.kind is Kind.CHOICE and len(self.choices) <= CHOICES_SHOWN:
            word = " ".join(filter(None, (self.prefix, "|".join(self.choices))))
            return f"<{word}>" if self.required else f"[{word}]"
        word = f"{self.prefix}{self.name}" if self.prefix == "#" else self.name
        return f"<{word}>" if self.required else f"[{word}]"


Builder = Callable[[Args, Actor], Command]


@dataclass(frozen=True)
class CommandSpec:
    """A command, declared once."""

    path: str
    summary: str
    build: Builder
    params: tuple[Param, ...] = ()
    audience: Audience = Audience.EVERYONE
    details: str = ""

    @property
    def root(self) -> str:
        return self.path.split()[0]

    @property
    def usage(self) -> str:
        return " ".join(filter(None, ("/" + self.path, *(p.in_usage() for p in self.params))))

    @property
    def for_whom(self) -> str:
        """What help adds to its usage when not everyone may use it: " (for moderators)"."""
        return "" if self.audience is Audience.EVERYONE else f" (for {self.audience.value})"


def person(description: str = "who", *, required: bool = True, shown: str | None = None) -> Param:
    return Param("person", description, Kind.PERSON, required, shown=shown)


def circle(
    description: str = "the circle", *, required: bool = True, called: str = "circle"
) -> Param:
    """A circle's name, offered with autocomplete where the platform can; `called` is the word
    the usage shows (`<name>` in the circle commands)."""
    shown = f"<{called}>" if required else f"[{called}]"
    return Param("circle", description, Kind.CIRCLE, required, limit=40, shown=shown)


def text(
    name: str,
    description: str,
    *,
    required: bool = True,
    limit: int = 1000,
    quoted: bool = False,
    shown: str | None = None,
) -> Param:
    return Param(name, description, Kind.TEXT, required, limit=limit, quoted=quoted, shown=shown)


def choice(
    name: str,
    description: str,
    choices: tuple[str, ...],
    *,
    required: bool = True,
    prefix: str = "",
) -> Param:
    return Param(name, description, Kind.CHOICE, required, choices, prefix=prefix)


def date(
    name: str, description: str, *, required: bool = True, limit: int = 10, shown: str | None = None
) -> Param:
    return Param(name, description, Kind.DATE, required, limit=limit, shown=shown)


def number(name: str, description: str, low: int, high: int, *, required: bool = True) -> Param:
    return Param(name, description, Kind.NUMBER, required, low=low, high=high)

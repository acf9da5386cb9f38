"""Reading the words after a command name, shared by the console and Slack.

A mention is `@name` in the console, `<@U123>` or `<@U123|name>` on Slack, `<@123>` on Discord;
each becomes the platform's user id (the console's user id is the lowercased name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.kernel.errors import UsageError, UserError
from bot.kernel.text import neutralise

_TOKEN = re.compile(r"\S+")
_ANGLE_MENTION = re.compile(r"^<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$")
_AT_MENTION = re.compile(r"^@([A-Za-z0-9_.-]{1,40})$")


def mention_user_id(token: str) -> str | None:
    """The user id a mention names, or None when the token is not a mention."""
    if match := _ANGLE_MENTION.match(token):
        return match.group(1)
    if match := _AT_MENTION.match(token):
        return match.group(1).lower()
    return None


class Args:
    """The words after a command's name, consumed left to right by the command's builder."""

    def __init__(self, text: str, usage: str) -> None:
        self._text = text
        self._tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
        self._position = 0
        self.usage = usage

    def fail(self, message: str) -> UsageError:
        return UsageError(message, self.usage)

    def peek(self) -> str | None:
        return self._tokens[self._position][0] if self._position < len(self._tokens) else None

    def word(self, what: str) -> str:
        token = self.peek()
        if token is None:
            raise self.fail(f"Missing {what}.")
        self._position += 1
        return token

    def optional_word(self) -> str | None:
        token = self.peek()
        if token is not None:
            self._position += 1
        return token

    def mention(self, what: str = "a person (@name)") -> str:
        token = self.word(what)
        user_id = mention_user_id(token)
        if user_id is None:
            raise self.fail(f"'{neutralise(token, 40)}' is not a mention; name {what}.")
        return user_id

    def choice(self, what: str, options: Sequence[str]) -> str:
        token = self.word(what).lower()
        if token not in options:
            raise self.fail(f"'{neutralise(token, 40)}' is not one of: {', '.join(options)}.")
        return token

    def optional_as_role(self, roles: Sequence[str]) -> str | None:
        """An optional trailing `as <role>`."""
        if self.peek() is None:
            return None
        if self.word("'as'").lower() != "as":
            raise self.fail("Extra words; expected 'as <role>' or nothing.")
        return self.choice("a role", roles)

    def rest(self) -> str:
        """Everything left, as typed (free text such as a topic or a bio)."""
        if self._position >= len(self._tokens):
            return ""
        start = self._tokens[self._position][1]
        self._position = len(self._tokens)
        return self._text[start:].strip()

    def end(self) -> None:
        if self.peek() is not None:
            extra = " ".join(token for token, _ in self._tokens[self._position :])
            raise self.fail(f"Unexpected '{neutralise(extra, 60)}'.")


def on_off(value: bool) -> str:
    """A switch as one types it: what `parse_on_off` reads back."""
    return "on" if value else "off"


def parse_on_off(value: str, what: str) -> bool:
    """on/yes/true or off/no/false; anything else is refused, naming `what`."""
    word = value.strip().lower()
    if word in {"on", "yes", "true"}:
        return True
    if word in {"off", "no", "false"}:
        return False
    raise UserError(f"{what} is on or off, not '{neutralise(value, 20)}'.")

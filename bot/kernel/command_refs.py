"""Commands named in the bot's own text, written the way the platform that shows it names them.

The core writes every command it names as the console line (`/findbuddy cancel`, `/buddy end
@ada`) wrapped by `command_ref`, or a command's whole usage wrapped by `usage_ref`; each platform's
renderer (`write_refs`) then writes each reference its own way: the console as typed, Slack
through its umbrella command where it has no command of that name (`/circles help`), Discord
as its own command and options (`/kudos give person: reason:`, a clickable mention where it
can).

Rules:
- a reference is the console line between two private-use characters; nobody can type them
  (`bot.kernel.text.clean_input` drops every private-use character), so no member's text can
  pose as the bot's own reference;
- `as_typed` is the console's way and the default for anything that is not a chat message
  (a file, a log): the line, without the marks;
- a reference that names no command is written as typed, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

OPEN = "\ue000"
CLOSE = "\ue001"
USAGE = "\ue002"
"""After OPEN: the reference is a command's usage line (`/kudos @person <reason> [#value]`),
shown by platforms with typed options as the command and every option's name."""

_REFERENCE = re.compile(f"{OPEN}({USAGE}?)([^{OPEN}{CLOSE}]*){CLOSE}")
_MARK = re.compile(f"([{OPEN}{CLOSE}{USAGE}])")


@dataclass(frozen=True)
class CommandRef:
    """One command the text names: the console line (starting with `/`), and whether it is the
    command's usage rather than one way of typing it."""

    line: str
    is_usage: bool = False

    @property
    def words(self) -> list[str]:
        return self.line.lstrip("/").split()


def command_ref(line: str) -> str:
    """`line` (`/findbuddy cancel`) marked as a command the text names."""
    return f"{OPEN}/{line.strip().lstrip('/')}{CLOSE}"


def usage_ref(usage: str) -> str:
    """A command's usage line, marked as such."""
    return f"{OPEN}{USAGE}/{usage.strip().lstrip('/')}{CLOSE}"


def write_refs(text: str, write: Callable[[CommandRef], str]) -> str:
    """`text` with each command reference written by `write` (and any mark left alone, from a
    reference cut in half, taken out)."""
    written = _REFERENCE.sub(lambda m: write(CommandRef(m.group(2), bool(m.group(1)))), text)
    return as_typed(written)


def references(text: str) -> list[CommandRef]:
    """Every command `text` names, in order."""
    return [CommandRef(m.group(2), bool(m.group(1))) for m in _REFERENCE.finditer(text)]


def guarded(text: str, guard: Callable[[str], str], limit: int) -> str:
    """`text` with `guard` applied to each piece between and inside its references, the marks
    kept, then trimmed and cut to `limit` characters (with …) without leaving half a mark: the
    last guard on a reply, which must not take the references apart."""
    pieces = _MARK.split(text)
    whole = "".join(piece if _MARK.fullmatch(piece) else guard(piece) for piece in pieces).strip()
    if len(whole) <= limit:
        return whole
    cut = whole[: limit - 1].rstrip()
    if cut.rfind(OPEN) > cut.rfind(CLOSE):
        cut = cut[: cut.rfind(OPEN)].rstrip()
    return cut + "…"


def as_typed(text: str) -> str:
    """`text` with every command written as typed in the console (the marks taken out)."""
    return _MARK.sub("", text)

"""Every command the features declare, looked up: which command a typed line is, the nearest
one to a mistyped line, and the command object its words build.

Rules: the longest command path that starts a line wins (`/kudos wall` before `/kudos`); the
first word decides the family of a suggestion (`kudo` is `kudos`) and a second word picks a
subcommand only when it reads like one; a usage error under a root that runs alone names the
subcommand that was probably meant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from bot.kernel.command_refs import command_ref, usage_ref
from bot.kernel.commands import Command, CommandSpec
from bot.kernel.errors import UsageError, UserError
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.kernel.text import neutralise


class UnknownCommand(UserError):
    """Not a command of ours; the message suggests the nearest one."""


class Catalog:
    """The declared commands, in the order help lists them."""

    def __init__(self, specs: Iterable[CommandSpec]) -> None:
        self.specs: tuple[CommandSpec, ...] = tuple(specs)
        self.by_path: dict[str, CommandSpec] = {spec.path: spec for spec in self.specs}
        if len(self.by_path) != len(self.specs):
            raise ValueError("two features declare the same command")
        self.roots: frozenset[str] = frozenset(spec.root for spec in self.specs)

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self.specs)

    def find(self, words: list[str]) -> tuple[CommandSpec, int] | None:
        """The longest command path that starts `words`, with how many words it used."""
        for length in (2, 1):
            spec = self.by_path.get(" ".join(words[:length]).lower())
            if spec and len(words) >= length:
                return spec, length
        return None

    def subcommand_words(self) -> frozenset[str]:
        """Every word that names a subcommand (`skip` of `/checkin skip`)."""
        return frozenset(path.split()[1] for path in self.by_path if len(path.split()) == 2)

    def suggest(self, words: list[str]) -> str | None:
        """The command nearest to what was typed. Rule: the first word decides the family
        (`kudo` is `kudos`); a second word picks a subcommand only when it reads like one, so
        `/kudo @noah hi` suggests `/kudos`, never `/kudos top`."""
        if not words:
            return None
        paths = list(self.by_path)
        first = words[0].lower()
        roots = difflib.get_close_matches(first, sorted(self.roots), n=1, cutoff=0.7)
        if not roots:
            close = difflib.get_close_matches(" ".join(words[:2]).lower(), paths, n=1, cutoff=0.6)
            return close[0] if close else None
        root = roots[0]
        if len(words) > 1:
            subcommands = [p for p in paths if p.startswith(root + " ")]
            typed = f"{root} {words[1].lower()}"
            close = difflib.get_close_matches(typed, subcommands, n=1, cutoff=0.8)
            if close:
                return close[0]
        if root in self.by_path:
            return root
        return next(p for p in paths if p.startswith(root + " "))

    def parse(self, line: str, actor: Actor) -> Command:
        """Turn `/circle join algebra as mentor` into a command; usage errors say what fits."""
        words = line.strip().lstrip("/").split()
        if not words:
            raise UnknownCommand(f"Type a command, such as {command_ref('/help')}.")
        found = self.find(words)
        if found is None:
            raise UnknownCommand(self._unknown_message(words))
        spec, used = found
        pattern = r"^\s*/?" + r"\s+".join(map(re.escape, words[:used]))
        rest = re.sub(pattern, "", line, flags=re.I)
        try:
            return spec.build(Args(rest, spec.usage), actor)
        except UsageError as e:
            nearest = self.suggest(words) if used == 1 and len(words) > 1 else None
            if nearest is None or " " not in nearest:
                raise
            raise UserError(f"{e.message}\nDid you mean {command_ref(nearest)}?") from None

    def _unknown_message(self, words: list[str]) -> str:
        """What is not a command, named: the first word alone when it is no command name
        (`/frobnicate`, whatever follows), the name and its next word when that is no
        subcommand of it (`/kudos frob`, then the name's commands)."""
        nearest = self.suggest(words)
        hint = f" Did you mean {command_ref(nearest)}?" if nearest else ""
        root = words[0].lower()
        if root in self.roots:
            typed = neutralise("/" + " ".join(words[:2]), 60)
            hint = hint if len(words) > 1 else ""
            usages = "\n".join(
                usage_ref(s.usage) + s.for_whom for s in self.specs if s.root == root
            )
            return f"{typed} is not a command.{hint} The {root} commands are:\n{usages}"
        typed = neutralise("/" + words[0], 60)
        return f"I don't know {typed}.{hint} Type {command_ref('/help')} for everything I can do."

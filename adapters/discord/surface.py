"""Every core command as a Discord slash command: its name, its typed options, and the line the
core's parser reads back from them.

Rules:
- a command path of two words is a subcommand (`/circle join`); a root that is also a command
  on its own (`/kudos @person ...` next to `/kudos wall`) becomes a subcommand named in BARE
  (`/kudos give`), because Discord does not let a command with subcommands run by itself;
- a person is a user option (Discord's picker, never typed); a circle is a string option with
  autocomplete; a fixed set of words is a choice;
- the line handed to the core is the one a console user would type, so one parser serves every
  platform; options are written in the order the usage shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from bot.features import CATALOG
from bot.kernel.commands import CommandSpec, Param
from bot.kernel.commands import Kind as ParamKind


class Kind(IntEnum):
    """Discord's application command option types."""

    SUB_COMMAND = 1
    STRING = 3
    INTEGER = 4
    USER = 6


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    kind: Kind = Kind.STRING
    required: bool = True
    choices: tuple[str, ...] = ()
    circle: bool = False
    """A circle's name: offered with autocomplete."""
    prefix: str = ""
    """Written before the value in the line (`as` for a role, `#` for a kudos value)."""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    quoted: bool = False
    """Written in double quotes: a text the core would otherwise read on from the word before
    (a circle's topic is then never taken for more of its name)."""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": int(self.kind),
            "name": self.name,
            "description": self.description,
            "required": self.required,
        }
        if self.choices:
            data["choices"] = [{"name": c, "value": c} for c in self.choices]
        if self.circle:
            data["autocomplete"] = True
        if self.max_length is not None:
            data["max_length"] = self.max_length
        if self.min_value is not None:
            data["min_value"] = self.min_value
        if self.max_value is not None:
            data["max_value"] = self.max_value
        return data

    def written(self, value: object) -> str:
        if self.kind is Kind.USER:
            return f"<@{value}>"
        text = " ".join(str(value).split())
        if self.prefix == "#":
            text = text.lstrip("#")
        if self.quoted and not (text.startswith('"') and text.endswith('"') and len(text) > 1):
            text = f'"{text}"'
        return f"{self.prefix} {text}" if self.prefix == "as" else f"{self.prefix}{text}"


GUILD_ONLY = 0
"""Commands are used in a server (the programme is per server), never in DMs."""

BARE: Mapping[str, str] = {
    "profile": "show",
    "findbuddy": "now",
    "buddy": "list",
    "checkin": "open",
    "kudos": "give",
    "stats": "show",
}
"""The subcommand a root's own command becomes, where the root also has subcommands."""

KINDS: Mapping[ParamKind, Kind] = {ParamKind.PERSON: Kind.USER, ParamKind.NUMBER: Kind.INTEGER}
"""Discord's option type for a parameter; every other parameter is a string."""


def option(param: Param) -> Option:
    """The Discord option for one of the core's declared parameters."""
    return Option(
        param.name,
        param.description,
        KINDS.get(param.kind, Kind.STRING),
        param.required,
        param.choices,
        circle=param.kind is ParamKind.CIRCLE,
        prefix=param.prefix,
        max_length=param.limit if param.kind is not ParamKind.NUMBER else None,
        min_value=param.low,
        max_value=param.high,
        quoted=param.quoted,
    )


OPTIONS: Mapping[str, tuple[Option, ...]] = {
    spec.path: tuple(option(param) for param in spec.params) for spec in CATALOG
}
"""Every command's options, derived from its declaration."""


def discord_name(spec: CommandSpec) -> tuple[str, str | None]:
    """(command, subcommand or None) that runs `spec` on Discord."""
    words = spec.path.split()
    if len(words) == 2:
        return words[0], words[1]
    return (words[0], BARE[words[0]]) if words[0] in BARE else (words[0], None)


def command_definitions() -> list[dict[str, Any]]:
    """The application commands to register: one per root, subcommands where it has them."""
    roots: dict[str, dict[str, Any]] = {}
    for spec in CATALOG:
        name, sub = discord_name(spec)
        options = [o.as_json() for o in OPTIONS[spec.path]]
        summary = spec.summary[:100]
        if sub is None:
            roots[name] = {
                "name": name,
                "description": summary,
                "type": 1,
                "options": options,
                "contexts": [GUILD_ONLY],
            }
            continue
        root = roots.setdefault(
            name,
            {
                "name": name,
                "description": f"{name} commands",
                "type": 1,
                "options": [],
                "contexts": [GUILD_ONLY],
            },
        )
        root["options"].append(
            {"type": int(Kind.SUB_COMMAND), "name": sub, "description": summary, "options": options}
        )
    return list(roots.values())


_BY_NAME: dict[tuple[str, str | None], CommandSpec] = {discord_name(s): s for s in CATALOG}


def typed_line(data: Mapping[str, Any]) -> str:
    """The line a console user would type for an application command interaction's `data`."""
    name = str(data.get("name", ""))
    given = list(data.get("options") or [])
    sub: str | None = None
    if given and given[0].get("type") == Kind.SUB_COMMAND:
        sub = str(given[0]["name"])
        given = list(given[0].get("options") or [])
    spec = _BY_NAME.get((name, sub))
    if spec is None:
        return "/" + " ".join(filter(None, (name, sub)))
    values = {o["name"]: o.get("value") for o in given}
    words = [
        option.written(values[option.name])
        for option in OPTIONS[spec.path]
        if values.get(option.name) not in (None, "")
    ]
    return " ".join(["/" + spec.path, *words])

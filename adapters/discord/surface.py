"""Every core command as a Discord slash command: its name, its typed options, and the line the
core's parser reads back from them.

Rules:
- a command path of two words is a subcommand (`/circle join`); a root that is also a command
  on its own (`/kudos @person ...` next to `/kudos wall`) becomes a subcommand named in BARE
  (`/kudos give`), because Discord does not let a command with subcommands run by itself;
- a command for moderators only (`Audience.MODERATORS_ONLY`) is shown only to members with
  Manage Server (`default_member_permissions`; a server's admins can let a role see it too, in
  Server Settings, Integrations). Discord decides that per top-level command, so a root whose
  commands are all for moderators only carries it (`/audit`, `/blackout`), and where a root
  also has commands for everyone, its moderators-only ones move to a root of their own, the
  name with ADMIN after it (`/circle-admin create`, next to `/circle join`). Commands that a
  circle's facilitators may use too (`Audience.MODERATORS`) stay in every menu: a facilitator
  need not have Manage Server. The core checks who may run what either way;
- a person is a user option (Discord's picker, never typed); a circle is a string option with
  autocomplete, and so is the command `/help` explains (`SUGGESTED`); a fixed set of words is a
  choice;
- the line handed to the core is the one a console user would type, so one parser serves every
  platform; options are written in the order the usage shows;
- `discord_name` is the one answer to which Discord command and subcommand run a declaration:
  registering, reading an interaction back and writing a command in a text all ask it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from bot.features import CATALOG
from bot.kernel.commands import Audience, CommandSpec, Param
from bot.kernel.commands import Kind as ParamKind


class Kind(IntEnum):
    """Discord's application command option types."""

    SUB_COMMAND = 1
    STRING = 3
    INTEGER = 4
    USER = 6


class Suggest(StrEnum):
    """What an option with autocomplete offers as the member types."""

    CIRCLE = "circle"
    """The server's circles (the core knows them)."""
    COMMAND = "command"
    """The bot's commands (`suggested_commands`)."""


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    kind: Kind = Kind.STRING
    required: bool = True
    choices: tuple[str, ...] = ()
    suggests: Suggest | None = None
    """Offered with autocomplete: a circle's name, or a command."""
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
        if self.suggests is not None:
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
    "findbuddy": "start",
    "buddy": "list",
    "checkin": "open",
    "kudos": "give",
    "stats": "show",
    "feedback": "give",
    "agreement": "show",
    "settings": "show",
}
"""The subcommand a root's own command becomes, where the root also has subcommands."""

KINDS: Mapping[ParamKind, Kind] = {ParamKind.PERSON: Kind.USER, ParamKind.NUMBER: Kind.INTEGER}
"""Discord's option type for a parameter; every other parameter is a string."""

SUGGESTED: Mapping[tuple[str, str], Suggest] = {("help", "command"): Suggest.COMMAND}
"""(command, parameter) of the texts offered with autocomplete, besides every circle."""

ADMIN = "-admin"
"""After a root's name, the root its moderators-only commands move to (`/circle-admin`)."""
MANAGE_SERVER = str(1 << 5)
"""Discord's Manage Server permission, as `default_member_permissions` takes it."""
MENU_LIMIT = 25
"""The most suggestions Discord shows."""


def option(spec: CommandSpec, param: Param) -> Option:
    """The Discord option for one of the core's declared parameters."""
    circle = Suggest.CIRCLE if param.kind is ParamKind.CIRCLE else None
    return Option(
        param.name,
        param.description,
        KINDS.get(param.kind, Kind.STRING),
        param.required,
        param.choices,
        suggests=SUGGESTED.get((spec.path, param.name), circle),
        prefix=param.prefix,
        max_length=param.limit if param.kind is not ParamKind.NUMBER else None,
        min_value=param.low,
        max_value=param.high,
        quoted=param.quoted,
    )


OPTIONS: Mapping[str, tuple[Option, ...]] = {
    spec.path: tuple(option(spec, param) for param in spec.params) for spec in CATALOG
}
"""Every command's options, derived from its declaration."""


def for_moderators_only(spec: CommandSpec) -> bool:
    """Whether Discord shows `spec` only to members with Manage Server."""
    return spec.audience is Audience.MODERATORS_ONLY


_MIXED = frozenset(
    spec.root
    for spec in CATALOG
    if for_moderators_only(spec)
    and any(not for_moderators_only(s) for s in CATALOG if s.root == spec.root)
)
"""Roots with commands for moderators only and others: the former move to `<root>-admin`."""


def discord_name(spec: CommandSpec) -> tuple[str, str | None]:
    """(command, subcommand or None) that runs `spec` on Discord."""
    words = spec.path.split()
    root = words[0] + ADMIN if spec.root in _MIXED and for_moderators_only(spec) else words[0]
    if len(words) == 2:
        return root, words[1]
    return (root, BARE[words[0]]) if words[0] in BARE else (root, None)


def command_definitions() -> list[dict[str, Any]]:
    """The application commands to register: one per root, subcommands where it has them; a
    root whose commands are all for moderators only is shown only to those with Manage Server."""
    roots: dict[str, dict[str, Any]] = {}
    hidden: dict[str, bool] = {}
    for spec in CATALOG:
        name, sub = discord_name(spec)
        options = [o.as_json() for o in OPTIONS[spec.path]]
        summary = spec.summary[:100]
        hidden[name] = hidden.get(name, True) and for_moderators_only(spec)
        if sub is None:
            roots[name] = _root(name, summary, options)
            continue
        roots.setdefault(name, _root(name, _subcommands_of(name), []))["options"].append(
            {"type": int(Kind.SUB_COMMAND), "name": sub, "description": summary, "options": options}
        )
    for name, root in roots.items():
        root["default_member_permissions"] = MANAGE_SERVER if hidden[name] else None
    return list(roots.values())


def _subcommands_of(name: str) -> str:
    if name.endswith(ADMIN):
        return f"moderators only: {name.removesuffix(ADMIN)} commands"
    return f"{name} commands"


def _root(name: str, description: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "type": 1,
        "options": options,
        "contexts": [GUILD_ONLY],
    }


def suggested_commands(typed: str, listed: Iterable[str]) -> list[tuple[str, str]]:
    """(shown, value) of the commands whose name has `typed` in it, for `/help command:`, out of
    the paths help lists for the member (the core decides which): the value is the command's
    path as help reads it, shown with its Discord name and summary."""
    wanted = " ".join(typed.lower().lstrip("/").split())
    found = []
    for spec in (CATALOG.by_path[path] for path in listed):
        name, sub = discord_name(spec)
        shown = " ".join(filter(None, (name, sub)))
        if wanted and wanted not in spec.path and wanted not in shown:
            continue
        found.append((f"/{shown}: {spec.summary}"[:100], spec.path))
    return found[:MENU_LIMIT]


_BY_NAME: dict[tuple[str, str | None], CommandSpec] = {discord_name(s): s for s in CATALOG}


def command_of(data: Mapping[str, Any]) -> CommandSpec | None:
    """The command an interaction's `data` runs, or None for one the bot does not have."""
    return _BY_NAME.get(_called(data)[:2])


def _called(data: Mapping[str, Any]) -> tuple[str, str | None, list[Mapping[str, Any]]]:
    """(command, subcommand or None, the options given) of an interaction's `data`."""
    name = str(data.get("name", ""))
    given = list(data.get("options") or [])
    if given and given[0].get("type") == Kind.SUB_COMMAND:
        return name, str(given[0]["name"]), list(given[0].get("options") or [])
    return name, None, given


def typed_line(data: Mapping[str, Any]) -> str:
    """The line a console user would type for an application command interaction's `data`."""
    name, sub, given = _called(data)
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

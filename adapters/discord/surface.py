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

from bot.runtime.catalog import CATALOG, KUDOS_PERIODS, CommandSpec


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


def _circle(description: str = "the circle", *, required: bool = True) -> Option:
    return Option("circle", description, required=required, circle=True, max_length=40)


def _person(description: str = "who") -> Option:
    return Option("person", description, Kind.USER)


LONGEST = 6000
"""The longest text Discord lets a string option hold: a concern's, so none is cut short."""


def _text(name: str, description: str, *, required: bool = True, limit: int = 1000) -> Option:
    return Option(name, description, required=required, max_length=limit)


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

OPTIONS: Mapping[str, tuple[Option, ...]] = {
    "help": (_text("command", "a command, e.g. findbuddy", required=False, limit=40),),
    "profile": (),
    "profile set": (
        Option(
            "field",
            "which field",
            choices=(
                "role",
                "timezone",
                "stage",
                "subjects",
                "languages",
                "hours",
                "quiet-hours",
                "bio",
                "capacity",
                "public-kudos",
                "listed",
                "adult",
                "buddy-pool",
            ),
        ),
        _text("value", "the new value (see /help command:profile set)", limit=300),
        Option(
            "person",
            "moderators: whose role or adult mark (empty: your own profile)",
            Kind.USER,
            required=False,
        ),
    ),
    "circle list": (),
    "circle info": (_circle(),),
    "circle join": (
        _circle(),
        Option("role", "join as", required=False, choices=("mentor", "mentee"), prefix="as"),
    ),
    "circle leave": (_circle(),),
    "circle create": (
        Option("name", "1 to 40 letters, digits, - or _", max_length=40),
        Option("topic", "what the circle is for", required=False, max_length=200, quoted=True),
    ),
    "circle add": (
        _person("who to add"),
        _circle(),
        Option(
            "role", "as", required=False, choices=("mentor", "mentee", "facilitator"), prefix="as"
        ),
    ),
    "circle remove": (_person("who to take out"), _circle()),
    "circle archive": (_circle(),),
    "circle set": (
        _circle(),
        Option(
            "key",
            "which setting",
            choices=(
                "cadence",
                "day",
                "time",
                "group-size",
                "odd",
                "checkin-audience",
                "checkin-questions",
                "channel",
                "private",
            ),
        ),
        _text("value", "the new value (see /help command:circle set)", limit=1600),
    ),
    "findbuddy": (_text("subject", "only people who study it", required=False, limit=40),),
    "findbuddy cancel": (),
    "buddy": (),
    "buddy met": (_person("your buddy"),),
    "buddy notyet": (_person("your buddy"),),
    "buddy couldnt": (_person("your buddy"),),
    "buddy end": (
        _person("your buddy"),
        _text("reason", "kept for the moderators only", required=False, limit=300),
    ),
    "pause": (_text("until", "2w, until YYYY-MM-DD, or off", limit=30),),
    "block": (_person("who never to be paired with"),),
    "unblock": (_person("whose block to undo"),),
    "round preview": (_circle(),),
    "round run": (_circle(),),
    "checkin": (_circle("which circle's check-in", required=False),),
    "checkin answer": (_text("answers", "in the order of the questions, separated by |"),),
    "checkin concern": (
        _text("answers", "in the order of the questions, separated by |", limit=LONGEST),
    ),
    "checkin skip": (_text("reason", "on leave, nothing to report...", required=False, limit=300),),
    "checkin stay": (),
    "checkin status": (_circle(),),
    "checkin answers": (
        _circle(),
        Option(
            "day",
            "a day of that check-in, YYYY-MM-DD (empty: the latest)",
            required=False,
            max_length=14,
        ),
        Option("person", "only this person's answers", Kind.USER, required=False),
    ),
    "kudos": (
        _person("who the kudos are for"),
        _text("reason", "what they did, 3 to 300 characters", limit=300),
        Option("value", "a value it shows", required=False, prefix="#", max_length=30),
    ),
    "kudos wall": (_circle("only this circle", required=False),),
    "kudos top": (Option("period", "over", required=False, choices=KUDOS_PERIODS),),
    "kudos revoke": (
        Option(
            "number",
            "the kudos number (on /kudos wall)",
            Kind.INTEGER,
            min_value=1,
            max_value=2**53,
        ),
        _text("reason", "why, for the audit", required=False, limit=300),
    ),
    "flag": (_text("text", "what worries you; only the moderators see it", limit=LONGEST),),
    "privacy export": (),
    "privacy delete": (
        Option(
            "confirm",
            "say confirm to erase; without it I only explain",
            required=False,
            choices=("confirm",),
        ),
    ),
    "stats": (_circle("only this circle", required=False),),
    "stats export": (_circle("only this circle", required=False),),
    "audit": (
        Option(
            "number", "how many entries", Kind.INTEGER, required=False, min_value=1, max_value=200
        ),
    ),
    "blackout add": (
        Option("first", "the first date, YYYY-MM-DD", max_length=10),
        Option("last", "the last date, YYYY-MM-DD", required=False, max_length=10),
    ),
    "blackout list": (),
    "blackout remove": (Option("date", "a date of the blackout, YYYY-MM-DD", max_length=10),),
}


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

"""Every surface reads the commands from their one declaration, and a test fails if any of them
disagrees: Discord's options, Slack's manifest, the console's usage and the parser."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from adapters.discord.surface import OPTIONS, Kind, command_definitions, discord_name, typed_line
from adapters.slack.listeners import command_line
from adapters.slack.manifest import HINT_LIMIT, MANIFEST, UMBRELLA, slash_commands
from bot.features import CATALOG, ROOTS
from bot.kernel.commands import Audience, CommandSpec, Param
from bot.kernel.commands import Kind as ParamKind
from bot.kernel.model import Actor, MemberRef
from bot.profile.fields import FIELD_NAMES

ADA = Actor(MemberRef("discord", "g1", "1"), "Ada")
MANAGE_GUILD = str(1 << 5)

SAMPLES: dict[ParamKind, Any] = {
    ParamKind.PERSON: "42",
    ParamKind.CIRCLE: "algebra",
    ParamKind.TEXT: "thanks for the help",
    ParamKind.DATE: "2026-03-10",
    ParamKind.NUMBER: 7,
}


def _sample(param: Param) -> Any:
    return param.choices[0] if param.kind is ParamKind.CHOICE else SAMPLES[param.kind]


def _interaction(spec: CommandSpec, params: tuple[Param, ...]) -> dict[str, Any]:
    name, sub = discord_name(spec)
    options = [{"name": p.name, "value": _sample(p)} for p in params]
    if sub is None:
        return {"name": name, "options": options}
    return {"name": name, "options": [{"type": 1, "name": sub, "options": options}]}


def _forms(spec: CommandSpec) -> list[tuple[Param, ...]]:
    """The command with every parameter given, and with the required ones only."""
    required = tuple(p for p in spec.params if p.required)
    return [spec.params, required] if required != spec.params else [spec.params]


@pytest.mark.parametrize("spec", list(CATALOG), ids=lambda s: s.path)
def test_what_discord_sends_is_read_back_as_the_same_command(spec: CommandSpec) -> None:
    for params in _forms(spec):
        line = typed_line(_interaction(spec, params))
        found = CATALOG.find(line.lstrip("/").split())
        assert found is not None, line
        assert found[0] is spec, line
        CATALOG.parse(line, ADA)  # raises if the parser and the options disagree


@pytest.mark.parametrize("spec", list(CATALOG), ids=lambda s: s.path)
def test_discord_offers_exactly_the_declared_parameters(spec: CommandSpec) -> None:
    options = OPTIONS[spec.path]
    assert [o.name for o in options] == [p.name for p in spec.params]
    assert [o.required for o in options] == [p.required for p in spec.params]
    assert [o.choices for o in options] == [p.choices for p in spec.params]
    people = [o.kind is Kind.USER for o in options]
    assert people == [p.kind is ParamKind.PERSON for p in spec.params]


def test_discord_registers_one_command_per_name_with_every_subcommand() -> None:
    registered = {d["name"]: d for d in command_definitions()}
    assert set(registered) == {discord_name(spec)[0] for spec in CATALOG}
    for spec in CATALOG:
        name, sub = discord_name(spec)
        if sub is not None:
            subs = [o["name"] for o in registered[name]["options"] if o["type"] == 1]
            assert sub in subs, spec.path


@pytest.mark.parametrize("spec", list(CATALOG), ids=lambda s: s.path)
def test_discord_shows_a_command_only_to_those_it_is_for(spec: CommandSpec) -> None:
    """Moderators-only commands are shown to Manage Server only (Discord decides it for a whole
    top-level command, so they have roots of their own, beside the root they belong to);
    everything else, facilitators' commands too, to everyone."""
    registered = {d["name"]: d for d in command_definitions()}
    name, _ = discord_name(spec)
    shown_to = registered[name]["default_member_permissions"]
    assert shown_to == (MANAGE_GUILD if spec.audience is Audience.MODERATORS_ONLY else None)
    assert name.startswith(spec.root), "typing the command's name finds it"


def test_the_slack_manifest_is_written_from_the_declarations() -> None:
    """Fails after a command is added or changed until `python -m adapters.slack.manifest`
    writes manifest.json again."""
    written = json.loads(MANIFEST.read_text(encoding="utf-8"))["features"]["slash_commands"]
    assert written == slash_commands()
    assert all(len(entry.get("usage_hint", "")) <= HINT_LIMIT for entry in written)


@pytest.mark.parametrize("spec", list(CATALOG), ids=lambda s: s.path)
def test_each_usage_shown_on_slack_reads_back_as_its_command(spec: CommandSpec) -> None:
    entry = "/" + spec.root
    slack_command = entry if entry in {e["command"] for e in slash_commands()} else UMBRELLA
    words = spec.path.split()
    rest = words[1:] if slack_command == entry else words
    line = command_line(slack_command, " ".join(rest))
    found = CATALOG.find(line.lstrip("/").split())
    assert found is not None
    assert found[0] is spec


def test_every_command_name_says_what_it_is_for() -> None:
    assert set(ROOTS) == CATALOG.roots
    assert all(0 < len(line) <= 100 for line in ROOTS.values())


def test_help_for_profile_set_names_every_field_the_declaration_has() -> None:
    help_text = CATALOG.by_path["profile set"].details
    for name in FIELD_NAMES:
        assert re.search(rf"(^|, |@person ){re.escape(name)}[:, ]", help_text, re.M), name
    assert OPTIONS["profile set"][0].choices == FIELD_NAMES

"""Every command the core's text names, written for a platform, is a command that platform has:
on Discord its own command and subcommand with options it declares, clickable once Discord gave
the id; on Slack a slash command the manifest installs (or /circles for the rest); in the
console the line as typed.

Two sweeps: every reference written in bot/'s source (its f-string values stood in for by
examples), and every reference in what the bot actually said during a journey through every
command, as a student and as a moderator."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import discord
import pytest

from adapters.bootstrap import App
from adapters.console.forms import FormInProgress
from adapters.console.people import actor
from adapters.discord.command_text import NO_IDS, CommandMentions
from adapters.discord.forms import form_modal
from adapters.discord.surface import command_definitions, discord_name
from adapters.shared.named_commands import named_command
from adapters.slack.command_text import for_slack, slack_line
from adapters.slack.forms import form_view
from adapters.slack.manifest import UMBRELLA, slash_commands
from bot.features import CATALOG
from bot.kernel.command_refs import CommandRef, as_typed, command_ref, references, usage_ref
from bot.kernel.forms import Form, FormField
from tests.support.fakes import RecordingMessenger

BOT = Path(__file__).resolve().parents[2] / "bot"
EXAMPLES = {"person": "<@42>", "circle": "algebra", "date": "2027-01-11"}


def _discord_commands() -> dict[tuple[str, str | None], set[str]]:
    """(command, subcommand) → the option names Discord has for it."""
    found: dict[tuple[str, str | None], set[str]] = {}
    for root in command_definitions():
        subs = [o for o in root["options"] if o["type"] == 1]
        if not subs:
            found[(root["name"], None)] = {o["name"] for o in root["options"]}
        for sub in subs:
            found[(root["name"], sub["name"])] = {o["name"] for o in sub["options"]}
    return found


DISCORD = _discord_commands()
SLACK = {entry["command"] for entry in slash_commands()}


def _example(value: ast.expr) -> str:
    """A stand-in for an f-string's value: a person where the name says so, else a word."""
    named = ast.unparse(value).lower()
    if any(word in named for word in ("mention", "handle", "who", "user", "ref")):
        return EXAMPLES["person"]
    if "day" in named or "date" in named or "start" in named or "end" in named:
        return EXAMPLES["date"]
    return EXAMPLES["circle"]


def _lines(node: ast.expr) -> list[str]:
    """The lines a reference's argument can be: a value where a subcommand goes (`/buddy
    {answer}`) stands for each subcommand of that command."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if not isinstance(node, ast.JoinedStr):
        return []
    first, *rest = node.values
    if isinstance(first, ast.Constant) and rest and re.fullmatch(r"/\w+ ", str(first.value)):
        root = str(first.value).strip("/ ")
        subs = [s.path.split()[1] for s in CATALOG if s.root == root and " " in s.path]
        tail = "".join(_piece(v) for v in rest[1:])
        return [f"/{root} {sub}{tail}" for sub in subs]
    return ["".join(_piece(v) for v in node.values)]


def _piece(value: ast.expr) -> str:
    if isinstance(value, ast.Constant):
        return str(value.value)
    assert isinstance(value, ast.FormattedValue)
    return _example(value.value)


def source_references() -> Iterator[tuple[str, CommandRef]]:
    """(where, reference) for every `command_ref(...)` in bot/ whose line can be read."""
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "command_ref"
                and node.args
            ):
                where = f"{path.relative_to(BOT.parent)}:{node.lineno}"
                for line in _lines(node.args[0]):
                    yield where, references(command_ref(line))[0]


SOURCE = list(source_references())
IDS = [f"{where}:{ref.line}" for where, ref in SOURCE]


def discord_problems(ref: CommandRef) -> list[str]:
    """What is wrong with `ref` as Discord shows it (nothing, for a good reference)."""
    named = named_command(ref)
    if named is None:
        return [f"{ref.line!r} names no command"]
    key = discord_name(named.spec)
    written = NO_IDS.write(ref)
    problems = [] if key in DISCORD else [f"Discord has no {key}"]
    problems += [f"left over: {named.left_over}"] if named.left_over else []
    unknown = {g.param.name for g in named.given if g.value} - DISCORD.get(key, set())
    problems += [f"no option {sorted(unknown)}"] if unknown else []
    if not written.startswith("/" + " ".join(filter(None, key))):
        problems.append(f"written as {written!r}")
    return problems


def slack_problems(ref: CommandRef) -> list[str]:
    command, *rest = slack_line(ref).split()
    if command not in SLACK:
        return [f"Slack has no {command}"]
    if command == UMBRELLA and CATALOG.find(rest) is None:
        return [f"/circles {' '.join(rest)} runs nothing"]
    return []


def test_the_source_has_references_to_sweep() -> None:
    assert len(SOURCE) > 100


@pytest.mark.parametrize(("where", "ref"), SOURCE, ids=IDS)
def test_each_reference_in_the_source_is_a_command_on_discord(where: str, ref: CommandRef) -> None:
    assert discord_problems(ref) == []


@pytest.mark.parametrize(("where", "ref"), SOURCE, ids=IDS)
def test_each_reference_in_the_source_is_a_command_on_slack(where: str, ref: CommandRef) -> None:
    assert slack_problems(ref) == []


def test_every_usage_is_written_with_discords_names() -> None:
    for spec in CATALOG:
        assert discord_problems(references(usage_ref(spec.usage))[0]) == [], spec.path
    kudos = NO_IDS.written(usage_ref(CATALOG.by_path["kudos"].usage))
    assert kudos == "/kudos give person: reason: [value:]"


def test_a_command_is_a_clickable_mention_once_discord_gave_its_id() -> None:
    mentions = CommandMentions()
    mentions.learn(None, [{"name": "buddy", "id": "1001"}])
    mentions.learn("77", [{"name": "buddy", "id": "2002"}])
    text = f"Ended. {command_ref('/buddy end <@42>')} again is harmless."
    assert mentions.written(text) == "Ended. </buddy end:1001> person:<@42> again is harmless."
    assert mentions.written(text, "77").startswith("Ended. </buddy end:2002>")
    assert as_typed(text) == "Ended. /buddy end <@42> again is harmless."


def test_slack_reaches_help_through_its_umbrella_command() -> None:
    assert for_slack(f"Type {command_ref('/help findbuddy')}.") == "Type /circles help findbuddy."
    assert for_slack(command_ref("/findbuddy cancel")) == "/findbuddy cancel"


A_CIRCLE = (
    "ada:/profile set role student",
    "ben:/profile set role student",
    "maya:/profile set role mentor",
    "morgan:/circle create algebra Algebra for years 9-10",
    "morgan:/circle set algebra channel #algebra",
    "ada:/circle join algebra",
    "ben:/circle join algebra",
    "morgan:/circle add @maya algebra as facilitator",
)
A_TERM = (
    "maya:/findbuddy",
    "ben:/findbuddy",
    "ben:/findbuddy",
    "ada:/kudos @maya thanks for the help with fractions",
    "ada:/buddy end @ben",
    "morgan:/circle set algebra cadence weekly",
    "morgan:/round run algebra",
    "ada:/block @maya",
    "ada:/pause 2w",
    "ada:/pause off",
    "ada:/circle join nowhere",
    "ada:/frobnicate",
    "ada:/kudo @maya hi",
    "ada:/privacy delete",
)
"""`name:line` as each person types it."""


async def _journey(say: Callable[[str, str], Awaitable[None]]) -> None:
    """A circle, every command bare and asked about as a student and as a moderator, then a
    term of pairings, kudos, rounds and mistakes."""
    everything = [line.split(":", 1) for line in A_CIRCLE]
    for spec in CATALOG:
        for name in ("ada", "morgan"):
            everything += [[name, "/" + spec.path], [name, f"/help {spec.path}"]]
    everything += [line.split(":", 1) for line in A_TERM]
    for name, typed in everything:
        await say(name, typed)


async def test_every_command_the_bot_said_in_a_journey_exists_on_each_platform(
    app: App, messenger: RecordingMessenger
) -> None:
    said: list[str] = []

    async def listening(name: str, line: str) -> None:
        reply = await app.bus.handle_text(line, actor("w1", name.capitalize()))
        said.append(reply.text)
        await app.due.deliver()

    await _journey(listening)
    said += messenger.queued_texts
    found = {ref for text in said for ref in references(text)}
    assert len(found) > 60
    assert {ref.line: discord_problems(ref) for ref in found if discord_problems(ref)} == {}
    assert {ref.line: slack_problems(ref) for ref in found if slack_problems(ref)} == {}


@pytest.mark.parametrize(
    ("line", "on_discord"),
    [
        ("/findbuddy cancel", "/findbuddy cancel"),
        ("/findbuddy", "/findbuddy start"),
        ("/profile set <@1> role mentor", "/profile set field:role value:mentor person:<@1>"),
        ("/kudos <@1> thanks so much #kindness", "/kudos give person:<@1> reason:thanks so much "),
        ("/circle create Study_Group <topic>", "/circle-admin create name:Study_Group [topic:]"),
        ('/circle create Study "group club"', "/circle-admin create name:Study topic:group club"),
        (
            "/circle add @someone algebra as mentor",
            "/circle add person: circle:algebra role:mentor",
        ),
        ("/checkin answers algebra [@person]", "/checkin-admin answers circle:algebra [person:]"),
        ("/help profile set", "/help command:profile set"),
        ("/checkin answer <1> | <2>", "/checkin answer answers:<1> | <2>"),
    ],
)
def test_a_reference_reads_as_discords_command_and_options(line: str, on_discord: str) -> None:
    assert NO_IDS.written(command_ref(line)).startswith(on_discord)


def test_a_form_names_commands_as_each_platform_types_them() -> None:
    hint = f"e.g. algebra; {command_ref('/help profile set')} lists the fields"
    asked = FormField("subjects", "Subjects", hint=hint, prompt=f"Subjects ({hint})")
    form = Form("profile", "Your profile", "Profile", (asked,))
    modal = form_modal("77", form)
    assert modal is not None
    [text_input] = modal.children
    assert isinstance(text_input, discord.ui.TextInput)
    assert text_input.placeholder == "e.g. algebra; /help command:profile set lists the fields"
    view = json.dumps(form_view(form))
    assert "/circles help profile set lists the fields" in view
    asking = FormInProgress(form, actor("w1", "Ada")).question()
    assert asking == "1/1 Subjects (e.g. algebra; /help profile set lists the fields)"

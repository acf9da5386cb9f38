"""The documentation is kept true by the code: every command of the catalog has its section in
docs/commands.md (its usage as the catalog says it, who may use it, its Slack and Discord forms),
every `circles` subcommand and option is in docs/deploy.md or the README, every `circles` command
the docs and the deploy files give parses, nothing points outside the project or at a file
or heading that is not there, and every test a document names as backing a promise exists."""

from __future__ import annotations

import argparse
import ast
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.cli import _parser
from adapters.discord.surface import discord_name
from adapters.slack.runtime import slash_commands
from bot.features import CATALOG
from bot.kernel.commands import Audience, CommandSpec

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
COMMANDS_MD = DOCS / "commands.md"
DEPLOY_MD = DOCS / "deploy.md"
README = ROOT / "README.md"


def _documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _sections(text: str) -> dict[str, str]:
    """The `### ` sections of a markdown text by title, each up to the next heading."""
    sections: dict[str, str] = {}
    title: str | None = None
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.removeprefix("### ").strip() if line.startswith("### ") else None
            if title is not None:
                sections[title] = ""
        elif title is not None:
            sections[title] += line + "\n"
    return sections


def _field(section: str, label: str) -> str:
    """The text of a `- **Label:** ...` item of a section, continuation lines included."""
    found = re.search(rf"^- \*\*{label}:\*\*(.*(?:\n  .*)*)", section, re.MULTILINE)
    return found.group(1) if found else ""


def _slack_form(spec: CommandSpec) -> str:
    """How the command starts on Slack: its own slash command, or through /circles."""
    own = f"/{spec.root}" in slash_commands()
    return f"/{spec.path}" if own else f"/circles {spec.path}"


def _discord_form(spec: CommandSpec) -> str:
    name, sub = discord_name(spec)
    return f"/{name} {sub}" if sub else f"/{name}"


def _problems_of(spec: CommandSpec, section: str | None) -> list[str]:
    command = f"/{spec.path}"
    if section is None:
        return [f"{command} has no section (### {command})"]
    problems = []
    if f"`{spec.usage}`" not in section:
        problems.append(f"{command}: the usage is not the catalog's `{spec.usage}`")
    who = _field(section, "Who")
    if not who:
        problems.append(f"{command}: no '- **Who:**' line")
    elif spec.audience is not Audience.EVERYONE and "moderators" not in who:
        problems.append(f"{command} is for moderators, but its Who line does not say so")
    if not _field(section, "Example"):
        problems.append(f"{command}: no '- **Example:**' line")
    for label, form in (("Slack", _slack_form(spec)), ("Discord", _discord_form(spec))):
        if form not in _field(section, label):
            problems.append(f"{command}: its {label} line does not show {form}")
    return problems


def test_every_command_of_the_catalog_is_in_the_command_reference() -> None:
    sections = _sections(COMMANDS_MD.read_text(encoding="utf-8"))
    problems = [p for spec in CATALOG for p in _problems_of(spec, sections.get(f"/{spec.path}"))]
    known = {f"/{spec.path}" for spec in CATALOG}
    problems += [
        f"{title} is described, but it is not a command of the catalog"
        for title in sections
        if title.startswith("/") and title not in known
    ]
    assert not problems, "docs/commands.md is out of date:\n" + "\n".join(problems)


def _subcommands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every leaf subcommand of the CLI, as its words and its parser."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield path, parser
    for group in groups:
        for word, child in group.choices.items():
            yield from _subcommands(child, (*path, word))


def test_every_circles_subcommand_and_option_is_documented_for_administrators() -> None:
    text = DEPLOY_MD.read_text(encoding="utf-8") + README.read_text(encoding="utf-8")
    missing = []
    for words, parser in _subcommands(_parser()):
        command = " ".join(("circles", *words))
        if command not in text:
            missing.append(command)
        flags = [f for a in parser._actions for f in a.option_strings if f.startswith("--")]
        missing += [f"{command} {flag}" for flag in flags if flag != "--help" and flag not in text]
    assert not missing, "Not in docs/deploy.md nor README.md: " + ", ".join(missing)


def test_nothing_points_outside_the_project() -> None:
    found = [
        f"{_name(path)}:{number}: {line.strip()}"
        for path in _documents()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "../shared" in line
    ]
    assert not found, "Links to ../shared, which a clone does not have:\n" + "\n".join(found)


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    plain = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return plain.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {_anchor(line.lstrip("#")) for line in lines if re.match(r"#{1,6} ", line)}


def test_links_between_the_documents_lead_somewhere() -> None:
    broken = []
    for path in _documents():
        for target in _LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                broken.append(f"{_name(path)}: ({target}) is not a file of the project")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{_name(path)}: ({target}) names no heading of {linked.name}")
    assert not broken, "Broken links:\n" + "\n".join(broken)


SUBS = frozenset(w[0] for w, _ in _subcommands(_parser()))


_PLACEHOLDER = re.compile(r"[\[<…]|\.\.\.|\b[A-Z]{2,}\b")
"""A synopsis (`circles run [--config PATH]`), not a command to type."""


def _circles_commands(path: Path) -> Iterator[list[str]]:
    """The arguments of each `circles ...` a document gives to type: in its ```sh blocks and
    its inline code. The program is named by a path (`.venv/bin/circles`), or is `circles`
    followed by one of its subcommands."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    lines = "\n".join(blocks).splitlines() + [s for s in spans if not _PLACEHOLDER.search(s)]
    for line in lines:
        words = line.split("#", 1)[0].split()
        for i, word in enumerate(words):
            program = word.lstrip("'\"")
            following = words[i + 1] if i + 1 < len(words) else ""
            by_path = program.endswith("/circles") and "/" in program.strip("/")
            if not (by_path or (program == "circles" and following in SUBS)):
                continue  # not the program: Slack's /circles, a database or user named circles
            args = []
            for arg in words[i + 1 :]:
                if arg in ("&&", "||", "|", ";"):
                    break
                args.append(arg.rstrip("'\";"))
                if arg.endswith(("'", '"', ";")):
                    break
            yield args


def _deploy_commands() -> Iterator[tuple[str, list[str]]]:
    """(file, arguments) of the `circles` command each file under deploy/ runs."""
    unit = (ROOT / "deploy" / "mentor-circles.service").read_text(encoding="utf-8")
    [start] = re.findall(r"^ExecStart=(.*)$", unit, re.MULTILINE)
    yield "deploy/mentor-circles.service", shlex.split(start)[1:]
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    [cmd] = re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    yield "deploy/Dockerfile", json.loads(cmd)[1:]
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    [command] = re.findall(r"^\s+command: (\[.*\])$", compose, re.MULTILINE)
    yield "deploy/compose.yaml", json.loads(command)[1:]


def _refusal(args: list[str], capsys: pytest.CaptureFixture[str]) -> str | None:
    """None when `circles ARGS` parses; otherwise what the parser said."""
    try:
        _parser().parse_args(args)
    except SystemExit:
        return capsys.readouterr().err.strip().splitlines()[-1]
    return None


def test_the_circles_commands_the_docs_and_deploy_files_give_are_real(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = [(_name(p), a) for p in _documents() for a in _circles_commands(p)]
    commands += list(_deploy_commands())
    assert len(commands) > 10, "the commands were not found in the docs"
    refused = [
        f"{where}: circles {' '.join(args)}: {said}"
        for where, args in commands
        if (said := _refusal(args, capsys))
    ]
    assert not refused, "Commands `circles` would refuse:\n" + "\n".join(refused)


def test_the_service_is_restarted_when_it_fails_but_not_for_a_mistake_in_its_config() -> None:
    unit = (ROOT / "deploy" / "mentor-circles.service").read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", unit, re.MULTILINE))
    assert settings.get("Restart") == "on-failure"
    assert settings.get("RestartPreventExitStatus") == "2", "a config error would restart forever"
    assert "--no-console" in settings["ExecStart"]


_TEST_REFERENCE = re.compile(r"\b(tests/[\w./-]+\.py)((?:::\w+)+)")
"""`tests/unit/test_x.py::test_name` (or `::TestClass::test_name`), as the documents name the test
that backs a promise."""


def _defines(tree: ast.Module, names: list[str]) -> bool:
    """Whether the module defines `names[0]` at its top level (a class holding the rest, down to
    a function), as pytest would collect it."""
    scope: list[ast.stmt] = tree.body
    for n, name in enumerate(names):
        last = n == len(names) - 1
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef) if last else (ast.ClassDef,)
        found = next((s for s in scope if isinstance(s, kinds) and s.name == name), None)
        if found is None:
            return False
        scope = found.body
    return True


def test_every_test_a_document_names_is_a_test_of_that_file() -> None:
    """A promise in the README or docs/ ends with the test that backs it; deleting or renaming
    that test fails here, naming the reference, until the document follows."""
    trees: dict[str, ast.Module | None] = {}
    missing, found = [], 0
    for path in _documents():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            for file, names in _TEST_REFERENCE.findall(line):
                found += 1
                if file not in trees:
                    test_file = ROOT / file
                    trees[file] = (
                        ast.parse(test_file.read_text(encoding="utf-8"), filename=file)
                        if test_file.is_file()
                        else None
                    )
                tree = trees[file]
                reference = f"{file}{names}"
                if tree is None:
                    missing.append(f"{_name(path)}:{number}: {reference}: there is no {file}")
                elif not _defines(tree, names.split("::")[1:]):
                    missing.append(f"{_name(path)}:{number}: {reference}: no such test in {file}")
    assert found > 20, "the documents' test references were not found"
    assert not missing, "Documents name tests that do not exist:\n" + "\n".join(missing)

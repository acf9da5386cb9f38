"""Every command the core's text names is a marked reference (bot.kernel.command_refs), so each
platform can write it as its own command: a `/findbuddy` typed into a string by hand would be
shown on Discord, where the command is `/findbuddy search`, as a command that does not exist.

The scan reads every string in bot/ but docstrings, the lines a button runs (`Action`) and the
descriptions of Discord's options (the `Param` builders), which are shown as Discord's own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.features import CATALOG

BOT = Path(__file__).resolve().parents[2] / "bot"
_NAMED = re.compile(rf"(?<![\w/<]){'/'}({'|'.join(sorted(CATALOG.roots))})\b")
_NOT_SHOWN = frozenset({"command_ref", "usage_ref", "Action", "person", "circle", "text", "choice"})
_NOT_SHOWN |= {"date", "number", "Param"}


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    found.add(id(statement.value))
    return found


def _inside_calls_not_shown(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name in _NOT_SHOWN:
                found |= {id(inner) for inner in ast.walk(node)}
    return found


def unmarked_commands(path: Path) -> list[str]:
    """`line: text` for each command named in a string of `path` outside a reference."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _docstrings(tree) | _inside_calls_not_shown(tree)
    return [
        f"{node.lineno}: {node.value.strip()[:70]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and _NAMED.search(node.value)
    ]


@pytest.mark.parametrize(
    "path", sorted(BOT.rglob("*.py")), ids=lambda p: str(p.relative_to(BOT.parent))
)
def test_every_command_a_text_names_is_a_marked_reference(path: Path) -> None:
    assert unmarked_commands(path) == []


def test_the_scan_finds_a_command_typed_by_hand(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        '"""/findbuddy in a docstring is fine."""\n'
        'a = f"Try /findbuddy cancel, {x}."\n'
        'b = command_ref("/findbuddy cancel")\n'
        'c = Action("Skip", "/checkin skip")\n',
        encoding="utf-8",
    )
    assert unmarked_commands(source) == ["2: 'Try /findbuddy cancel,'"]

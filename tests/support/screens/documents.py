"""docs/slack.md and docs/discord.md, read and rewritten: only the ```text block under
"## What a student sees" is what a document shows a student sees, and only it is rewritten; the
rest of each document is left as it is. A document without that block is an error naming it."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from tests.support.screens.discord import discord_screen
from tests.support.screens.slack import slack_screen

ROOT = Path(__file__).parents[3]
DOCS = {"slack": ROOT / "docs" / "slack.md", "discord": ROOT / "docs" / "discord.md"}
HEADING = "## What a student sees"

SCREENS: dict[str, Callable[[Path], Awaitable[str]]] = {
    "slack": slack_screen,
    "discord": discord_screen,
}


def _block(text: str, path: Path) -> tuple[int, int]:
    """Where the ```text block under HEADING starts and ends (its contents)."""
    heading = text.find(f"\n{HEADING}\n")
    opening = text.find("\n```text\n", heading)
    if heading < 0 or opening < 0:
        raise LookupError(f"{path}: no ```text block under {HEADING!r}")
    start = opening + len("\n```text\n")
    return start, text.index("\n```", start - 1) + 1


def documented(platform: str) -> str:
    """What the platform's document shows a student sees."""
    path = DOCS[platform]
    text = path.read_text(encoding="utf-8")
    start, end = _block(text, path)
    return text[start:end]


def _rewrite(path: Path, shown: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = _block(text, path)
    path.write_text(text[:start] + shown + text[end:], encoding="utf-8")


async def _capture(platforms: Sequence[str]) -> dict[str, str]:
    shown = {}
    with tempfile.TemporaryDirectory() as folder:
        for platform in platforms:
            (Path(folder) / platform).mkdir()
            shown[platform] = await SCREENS[platform](Path(folder) / platform)
    return shown


def write() -> None:
    """Capture the journey on every platform and write it into its document."""
    for platform, shown in asyncio.run(_capture(list(SCREENS))).items():
        _rewrite(DOCS[platform], shown)
        print(f"{DOCS[platform].relative_to(ROOT)}: {HEADING.removeprefix('## ')} rewritten")

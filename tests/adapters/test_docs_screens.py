"""docs/slack.md and docs/discord.md show what a student sees as the adapters show it now: a
change in what students see, on either platform, fails here until the documents are captured
again with `python -m tests.support.screens` (the journey is in
tests/support/screens/journey.py)."""

from __future__ import annotations

from pathlib import Path

from tests.support.screens import discord_screen, documented, slack_screen

RECAPTURE = "is not what a student sees now: run `python -m tests.support.screens`"


async def test_slack_md_shows_what_a_student_sees(tmp_path: Path) -> None:
    assert documented("slack") == await slack_screen(tmp_path), f"docs/slack.md {RECAPTURE}"


async def test_discord_md_shows_what_a_student_sees(tmp_path: Path) -> None:
    assert documented("discord") == await discord_screen(tmp_path), f"docs/discord.md {RECAPTURE}"

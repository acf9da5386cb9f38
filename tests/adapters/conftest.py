"""The adapters as the tests drive them: the Slack adapter over HTTP and the Discord adapter
through discord.py, each against its fake platform with the school of tests/support/schools.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.discord_harness import DiscordHarness, discord_harness
from tests.support.schools import discord_school, slack_school
from tests.support.settings import START
from tests.support.slack_harness import SlackHarness, slack_harness


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The Slack adapter over HTTP against a fake Slack with Ada, Ben, Maya (students and a
    mentor), Ines (a workspace admin) and Morgan (a moderator by config)."""
    async with slack_harness(
        tmp_path, START, workspace=slack_school, moderators=["slack:T0001:UMORGAN"]
    ) as harness:
        await harness.settle()
        yield harness


@pytest.fixture
async def discord_bot(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    """The Discord adapter against a fake Discord: one server with Ada, Ben, Maya (students),
    Ines (Manage Server), Rory (the "Mentor Team" role, a moderator by config) and a bot."""
    async with discord_harness(
        tmp_path, START, discord_school, discord={"moderator_roles": ["Mentor Team"]}
    ) as harness:
        yield harness

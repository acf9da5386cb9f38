from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack_fake import FakeSlack
from tests.adapters.slack_harness import SlackHarness, slack_harness
from tests.conftest import START


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The Slack adapter over HTTP against a fake Slack with Ada, Ben, Maya (students and a
    mentor), Ines (a workspace admin) and Morgan (a moderator by config)."""
    async with slack_harness(
        tmp_path, START, workspace=_school, moderators=["slack:UMORGAN"]
    ) as harness:
        await harness.settle()
        yield harness


def _school(fake: FakeSlack) -> None:
    fake.add_user("UADA", "ada")
    fake.add_user("UBEN", "ben")
    fake.add_user("UMAYA", "maya")
    fake.add_user("UINES", "ines", is_admin=True)
    fake.add_user("UMORGAN", "morgan")
    fake.add_channel("CALGEBRA", "algebra", member=True)

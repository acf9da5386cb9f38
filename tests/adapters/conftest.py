from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.discord_fake import FakeDiscord
from tests.adapters.discord_harness import CHANNEL, GUILD, DiscordHarness, discord_harness
from tests.adapters.discord_payloads import MANAGE_GUILD
from tests.adapters.slack_fake import FakeSlack
from tests.adapters.slack_harness import SlackHarness, slack_harness
from tests.conftest import START


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The Slack adapter over HTTP against a fake Slack with Ada, Ben, Maya (students and a
    mentor), Ines (a workspace admin) and Morgan (a moderator by config)."""
    async with slack_harness(
        tmp_path, START, workspace=_school, moderators=["slack:T0001:UMORGAN"]
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


ADA, BEN, MAYA, INES, RORY, OWNER, HELPER_BOT = (
    "100000000000000101",
    "100000000000000102",
    "100000000000000103",
    "100000000000000104",
    "100000000000000105",
    "100000000000000100",
    "100000000000000199",
)
MENTOR_TEAM = "900000000000000501"
ALGEBRA_CHANNEL = "900000000000000102"


def _discord_school(fake: FakeDiscord) -> None:
    fake.add_guild(GUILD, "Riverside", OWNER)
    fake.add_channel(GUILD, CHANNEL, "general")
    fake.add_channel(GUILD, ALGEBRA_CHANNEL, "algebra")
    fake.add_role(GUILD, MENTOR_TEAM, "Mentor Team")
    fake.add_member(GUILD, OWNER, "owner")
    for user, name in ((ADA, "ada"), (BEN, "ben"), (MAYA, "maya")):
        fake.add_member(GUILD, user, name)
    fake.add_member(GUILD, INES, "ines", permissions=MANAGE_GUILD)
    fake.add_member(GUILD, RORY, "rory", roles=(MENTOR_TEAM,))
    fake.add_member(GUILD, HELPER_BOT, "helper", bot=True)


@pytest.fixture
async def discord_bot(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    """The Discord adapter against a fake Discord: one server with Ada, Ben, Maya (students),
    Ines (Manage Server), Rory (the "Mentor Team" role, a moderator by config) and a bot."""
    async with discord_harness(
        tmp_path, START, _discord_school, discord={"moderator_roles": ["Mentor Team"]}
    ) as harness:
        yield harness

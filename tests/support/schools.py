"""The school the adapter tests meet on each platform: who is in it and with which rights.

On Slack: Ada, Ben, Maya (students and a mentor), Ines (a workspace admin) and Morgan (a
moderator by config, in the fixture), and the #algebra channel. On Discord: the Riverside server
with its owner, Ada, Ben, Maya (students), Ines (Manage Server), Rory (the "Mentor Team" role)
and a helper bot, and the #general and #algebra channels."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from adapters.discord.runtime import DiscordAdapter
from tests.support.discord_fake import FakeDiscord, pointed_at
from tests.support.discord_harness import CHANNEL, GUILD
from tests.support.discord_payloads import MANAGE_GUILD
from tests.support.settings import settings_for
from tests.support.slack_fake import FakeSlack

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


def slack_school(fake: FakeSlack) -> None:
    fake.add_user("UADA", "ada")
    fake.add_user("UBEN", "ben")
    fake.add_user("UMAYA", "maya")
    fake.add_user("UINES", "ines", is_admin=True)
    fake.add_user("UMORGAN", "morgan")
    fake.add_channel("CALGEBRA", "algebra", member=True)


def discord_school(fake: FakeDiscord) -> None:
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


@asynccontextmanager
async def synced_school(tmp_path: Path) -> AsyncIterator[tuple[FakeDiscord, list[str]]]:
    """A fake Discord with the school after `circles discord sync` to its server: the fake, and
    where the sync said it installed the commands."""
    async with FakeDiscord() as fake:
        discord_school(fake)
        with pointed_at(fake):
            settings = settings_for(
                f"sqlite+aiosqlite:///{tmp_path / 'd.db'}",
                discord={"api_base_url": fake.rest_base, "gateway_url": str(fake.gateway_url)},
            )
            places = await DiscordAdapter(settings.discord, "token").sync([int(GUILD)])
        yield fake, places

"""Safeguarding on Discord: a DM about one server goes only to a member of that server, and a
moderator named in the config for one server is told nothing of another's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.kernel.model import Destination, MemberRef, OutboxEntry, OutboxStatus
from bot.kernel.ports import Failed, Sent
from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord
from tests.support.discord_harness import GUILD, DiscordHarness, discord_harness
from tests.support.schools import ADA, OWNER, discord_school
from tests.support.settings import START

OTHER_SCHOOL, OTHER_OWNER = "900000000000000002", "100000000000000200"
TEACHER = "100000000000000300"
"""A teacher of the other school only: not a member of GUILD."""


def _two_schools(fake: FakeDiscord) -> None:
    discord_school(fake)
    fake.add_guild(OTHER_SCHOOL, "Hillside", OTHER_OWNER)
    fake.add_member(OTHER_SCHOOL, OTHER_OWNER, "hillside owner")
    fake.add_member(OTHER_SCHOOL, TEACHER, "teacher")


@pytest.fixture
async def two_schools(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    """GUILD's school and another; the config names the other school's teacher for GUILD (a
    slip of the administrator's)."""
    async with discord_harness(
        tmp_path, START, _two_schools, moderators=[f"discord:{GUILD}:{TEACHER}"]
    ) as harness:
        yield harness


def _dm(server: str, user: str) -> OutboxEntry:
    return OutboxEntry(
        1,
        f"test:{server}:{user}",
        Destination.dm(MemberRef("discord", server, user)),
        "Concern from Ada in algebra (only moderators get this)",
        OutboxStatus.SENDING,
        1,
        START,
        START,
    )


async def test_a_dm_about_a_server_never_reaches_someone_outside_it(
    two_schools: DiscordHarness,
) -> None:
    messenger = two_schools.adapter.messenger

    outside = await messenger.send(_dm(GUILD, TEACHER))
    inside = await messenger.send(_dm(GUILD, ADA))

    assert outside == Failed("they are not a member of this server")
    assert inside == Sent()
    assert two_schools.dms_to(TEACHER) == []
    assert two_schools.dms_to(ADA) == ["Concern from Ada in algebra (only moderators get this)"]


async def test_a_concern_reaches_the_servers_own_moderators_not_a_teacher_of_another_school(
    two_schools: DiscordHarness,
) -> None:
    sent = await two_schools.command(ADA, "flag", None, p.option("text", "I am scared of Ben"))
    await two_schools.settle()

    assert "Sent privately to the moderators" in two_schools.text(sent)
    assert two_schools.dms_to(TEACHER) == []
    [concern] = two_schools.dms_to(OWNER)
    assert "I am scared of Ben" in concern


async def test_a_moderator_reads_answers_with_discords_options_and_a_student_is_refused(
    two_schools: DiscordHarness,
) -> None:
    await two_schools.command(OWNER, "circle-admin", "create", p.option("name", "algebra"))
    options = (
        p.option("circle", "algebra"),
        p.option("day", "2026-03-09"),
        p.user_option("person", ADA),
    )

    owner = await two_schools.command(OWNER, "checkin-admin", "answers", *options)
    student = await two_schools.command(ADA, "checkin-admin", "answers", *options)

    assert two_schools.text(owner) == (
        "algebra had no check-in then (2026-03-09). "
        "/checkin-admin answers circle:algebra shows the latest."
    )
    assert two_schools.text(student).startswith("Only moderators can read check-in answers")

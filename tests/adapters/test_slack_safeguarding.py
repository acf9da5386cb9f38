"""Safeguarding on Slack: a Slack Connect guest, however much of an admin at home, is never a
moderator of this workspace: they read nothing moderators read and are told no concern."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.settings import START
from tests.support.slack_fake import FakeSlack
from tests.support.slack_harness import SlackHarness, slack_harness

GUEST = "UGUEST"
"""An admin of another organisation, in a shared channel of this workspace (Slack Connect)."""


def _school_with_a_guest(fake: FakeSlack) -> None:
    fake.add_user("UADA", "ada")
    fake.add_user("UINES", "ines", is_admin=True)
    fake.add_user(GUEST, "guest", is_admin=True, is_owner=True, team_id="T0OTHERORG")


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, START, workspace=_school_with_a_guest) as harness:
        await harness.settle()
        yield harness


async def test_an_admin_of_another_organisation_is_no_moderator_here(slack: SlackHarness) -> None:
    guest = await slack.reply_to(GUEST, "/audit")
    admin = await slack.reply_to("UINES", "/audit")

    assert guest["text"] == "Only moderators can see the audit trail."
    assert "audit trail" in admin["text"].lower()
    assert "only moderators" not in admin["text"].lower()


async def test_a_concern_reaches_the_workspaces_admins_and_no_guest(slack: SlackHarness) -> None:
    await slack.reply_to("UADA", "/flag", "someone in my class is hurting me")
    await slack.settle()

    assert any("someone in my class is hurting me" in dm for dm in slack.dms_to("UINES"))
    assert slack.dms_to(GUEST) == []

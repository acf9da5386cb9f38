"""End to end, "Add to Slack": an administrator installs the app from the install page, Slack
sends them back with a code, the installation is stored encrypted, requests from that workspace
are answered and messages to it go with its own token; uninstalling stops all sending to it at
once and keeps its data; installing again resumes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.kernel.model import OutboxStatus
from tests.support.schools import slack_school
from tests.support.settings import START
from tests.support.slack_fake import FakeSlack
from tests.support.slack_harness import OAuthHarness, oauth_harness
from tests.support.stored import rows

TEAMS = {"T1": "Riverside School", "T2": "Hillcrest Academy"}
PEOPLE = {"T1": ("UADA", "UBEN", "UCAT", "UDAN"), "T2": ("UEVE", "UFIN")}
TEAM_OF = {user: team for team, users in PEOPLE.items() for user in users}


def two_schools(fake: FakeSlack) -> None:
    slack_school(fake)
    for team, users in PEOPLE.items():
        for user in users:
            fake.add_user(user, user[1:].lower(), team_id=team)


@pytest.fixture
async def slack(tmp_path: Path, database_url: str) -> AsyncIterator[OAuthHarness]:
    async with oauth_harness(tmp_path, START, url=database_url, workspace=two_schools) as h:
        yield h


async def pair(slack: OAuthHarness, first: str, second: str) -> None:
    """Two students of one workspace ask for a buddy: each is introduced by DM."""
    for user in (first, second):
        await slack.reply_to(user, "/findbuddy", team_id=TEAM_OF[user])
    await slack.settle()


def tokens_used_for(slack: OAuthHarness, user: str) -> set[str | None]:
    """The tokens of every call that reached `user`: their DM opened, posted in, looked up."""
    used = set()
    for call in slack.fake.calls:
        params = call.params
        if user in (params.get("users"), params.get("user"), str(params.get("channel", ""))[1:]):
            used.add(call.token)
    return used


async def test_an_install_is_stored_encrypted_and_the_workspace_is_served_with_its_token(
    slack: OAuthHarness,
) -> None:
    status, page = await slack.install("T1", TEAMS["T1"])
    assert status == 200, page
    assert "Mentor Circles is installed" in page
    assert "Riverside School" in page
    [token] = slack.fake.tokens_of("T1")

    stored = await rows(slack.app, "SELECT * FROM slack_bots") + await rows(
        slack.app, "SELECT * FROM slack_installations"
    )
    assert [row["team_id"] for row in stored] == ["T1", "T1"]
    assert all(row["bot_token"] for row in stored)
    assert not any(token in str(value) for row in stored for value in row.values())

    reply = await slack.reply_to("UADA", "/circles", team_id="T1")
    assert "/findbuddy" in str(reply)
    await pair(slack, "UADA", "UBEN")
    assert len(slack.dms_to("UADA")) == 1
    assert len(slack.dms_to("UBEN")) == 1
    assert tokens_used_for(slack, "UADA") == {token}
    authorised = [c.token for c in slack.fake.calls_to("auth.test")]
    assert set(authorised) == {token}
    assert len(authorised) <= 2, "once at the install, once for Bolt: not once a request"


async def test_two_workspaces_never_get_each_others_token(slack: OAuthHarness) -> None:
    for team, name in TEAMS.items():
        await slack.install(team, name)
    await pair(slack, "UADA", "UBEN")
    await pair(slack, "UEVE", "UFIN")
    for user, team in TEAM_OF.items():
        if user in ("UCAT", "UDAN"):
            continue
        assert slack.dms_to(user), user
        assert tokens_used_for(slack, user) == set(slack.fake.tokens_of(team)), user


async def test_a_made_up_an_expired_or_a_used_install_link_gets_a_clear_page(
    slack: OAuthHarness,
) -> None:
    code = slack.fake.approve_install("T1", TEAMS["T1"])
    status, page = await slack.come_back(code, "made-up-state")
    assert status == 400
    assert "Start again in this browser" in page
    assert "/slack/install" in page

    state = await slack.install_link()
    slack.clock.advance(timedelta(minutes=11))
    status, page = await slack.come_back(code, state)
    assert status == 401
    assert "expired or was already used" in page

    state = await slack.install_link()
    assert (await slack.come_back(code, state))[0] == 200
    code = slack.fake.approve_install("T1", TEAMS["T1"])
    status, page = await slack.come_back(code, state)
    assert "expired or was already used" in page
    assert len(slack.fake.tokens_of("T1")) == 1


async def test_a_cancelled_install_says_nothing_changed(slack: OAuthHarness) -> None:
    state = await slack.install_link()
    path = f"/slack/oauth_redirect?error=access_denied&state={state}"
    _, page = await slack.get(path, slack.browser_cookie)
    assert "cancelled" in page
    assert "Nothing was changed" in page
    assert await rows(slack.app, "SELECT team_id FROM slack_bots") == []


def uninstalled(team: str) -> dict[str, Any]:
    return {"type": "app_uninstalled", "event_ts": "1772532000.000100"}


def bot_token_revoked(team: str) -> dict[str, Any]:
    return {
        "type": "tokens_revoked",
        "tokens": {"oauth": [], "bot": ["UBOT"]},
        "event_ts": "1772532000.000100",
    }


@pytest.mark.parametrize("event", [uninstalled, bot_token_revoked])
async def test_uninstalling_stops_all_sending_to_the_workspace_and_keeps_its_data(
    slack: OAuthHarness, event: Any
) -> None:
    for team, name in TEAMS.items():
        await slack.install(team, name)
    # Two introductions wait: Slack failed to open the DMs, so they are retried later.
    slack.fake.fail_next("conversations.open", "internal_error", times=2)
    await pair(slack, "UADA", "UBEN")
    waiting = await slack.app.outbox.entries(OutboxStatus.PENDING)
    assert len(waiting) == 2

    slack.fake.uninstall("T1")
    assert await slack.event(event("T1"), team_id="T1", event_id="Ev1") == 200
    assert await rows(slack.app, "SELECT * FROM slack_bots WHERE team_id = 'T1'") == []
    calls_before = len(slack.fake.calls)
    entries_before = len(await slack.app.outbox.entries())

    for _ in range(3):
        slack.clock.advance(timedelta(minutes=10))
        await slack.app.due.run_due()
        await slack.settle()
    assert len(slack.fake.calls) == calls_before, "nothing is sent to an uninstalled workspace"
    failed = await slack.app.outbox.entries(OutboxStatus.FAILED)
    assert len(failed) == 2
    assert all("not installed in this Slack workspace" in (e.last_error or "") for e in failed)
    assert len(await slack.app.outbox.entries()) == entries_before, "nobody is told"
    members = await rows(slack.app, "SELECT user_id FROM members WHERE workspace_id = 'T1'")
    assert {"UADA", "UBEN"} <= {m["user_id"] for m in members}
    unreachable = await rows(
        slack.app, "SELECT user_id FROM members WHERE unreachable_since IS NOT NULL"
    )
    assert unreachable == []

    # The other workspace is served as before.
    await pair(slack, "UEVE", "UFIN")
    assert slack.dms_to("UEVE")

    # Installing again resumes, with the new token.
    await slack.install("T1", TEAMS["T1"])
    await pair(slack, "UCAT", "UDAN")
    assert slack.dms_to("UCAT")
    assert tokens_used_for(slack, "UCAT") == {slack.fake.tokens_of("T1")[-1]}


async def test_a_workspace_that_uninstalled_unheard_fails_at_once_and_others_go_on(
    slack: OAuthHarness,
) -> None:
    """The app was removed while the bot was down (no event came): Slack refusing that
    workspace's token fails its messages for good, and only that workspace's."""
    for team, name in TEAMS.items():
        await slack.install(team, name)
    slack.fake.fail_next("conversations.open", "internal_error", times=2)
    await pair(slack, "UADA", "UBEN")
    slack.fake.uninstall("T1")
    tried = []
    for _ in range(3):
        slack.clock.advance(timedelta(minutes=10))
        await slack.app.due.run_due()
        await slack.settle()
        tried.append(len(slack.fake.calls))
    assert tried[0] == tried[1] == tried[2], "nothing is tried again"
    failed = await slack.app.outbox.entries(OutboxStatus.FAILED)
    assert len(failed) == 2
    assert all("not installed in this Slack workspace" in (e.last_error or "") for e in failed)
    assert await slack.app.outbox.entries(OutboxStatus.PENDING) == []
    await pair(slack, "UEVE", "UFIN")
    assert slack.dms_to("UEVE")
    assert slack.dms_to("UFIN")


async def test_a_reinstall_heard_by_another_instance_resumes_here_with_the_new_token(
    slack: OAuthHarness,
) -> None:
    """Another instance took the uninstall and the new install; this one still remembers the
    old token: Slack refuses it, the message goes again with the new one, nothing fails."""
    await slack.install("T1", TEAMS["T1"])
    await pair(slack, "UADA", "UBEN")
    old = slack.fake.tokens_of("T1")[0]
    assert tokens_used_for(slack, "UADA") == {old}
    slack.fake.uninstall("T1")
    new = slack.fake.new_token("T1")
    assert slack.adapter.installs is not None
    store = slack.adapter.installs.installations
    installation = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert installation is not None
    installation.bot_token = new
    installation.installed_at += 1
    await store.async_save(installation)  # what the other instance stored

    await pair(slack, "UCAT", "UDAN")
    for _ in range(2):
        slack.clock.advance(timedelta(minutes=10))
        await slack.app.due.run_due()
        await slack.settle()
    assert await slack.app.outbox.entries(OutboxStatus.FAILED) == []
    assert slack.dms_to("UCAT")
    assert slack.dms_to("UDAN")
    assert new in tokens_used_for(slack, "UCAT")
    assert any(c.token == old and c.error == "token_revoked" for c in slack.fake.calls)

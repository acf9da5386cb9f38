"""The real Slack adapter, served over HTTP on 127.0.0.1 against a fake Slack, on a real
database: what the Slack tests drive.

`SlackHarness.command(...)` posts a signed slash command the way Slack does and returns the
response URL its private reply goes to; `settle()` waits until the work the requests started
after their ack (the core, deliveries, App Home refreshes) has finished. `oauth_harness` runs
the adapter with "Add to Slack" instead of one bot token: `install(team_id, name)` goes through
the install page and Slack's redirect as an administrator's browser does.
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.slack.connection import SlackCredentials
from adapters.slack.installs import KEY_ENV
from adapters.slack.runtime import SLACK, SlackAdapter
from tests.support import slack_payloads as payloads
from tests.support.settings import settings_for
from tests.support.slack_fake import FakeSlack

SECRET = "test-signing-secret"
TOKEN_KEY = base64.urlsafe_b64encode(b"a test key for tokens, 32 bytes.").decode()
_STATE = re.compile(r"[?&;]state=([A-Za-z0-9-]+)")


@dataclass
class SlackHarness:
    fake: FakeSlack
    app: App
    adapter: SlackAdapter
    http: aiohttp.ClientSession
    clock: ManualClock

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    async def post(self, body: bytes, *, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """POST a body signed with the app's secret (or with `headers` given as they are)."""
        sent = headers if headers is not None else payloads.signed_headers(SECRET, body)
        async with self.http.post(self.url, data=body, headers=sent) as response:
            return response.status, await response.text()

    async def command(
        self, user_id: str, command: str, text: str = "", *, team_id: str = payloads.TEAM_ID
    ) -> str:
        """Type a slash command as `user_id` (of `team_id`); the response URL its reply goes to."""
        response_url = self.fake.new_response_url()
        fields = payloads.slash_command(
            command,
            text,
            user_id,
            team_id=team_id,
            trigger_id=self.fake.new_trigger_id(user_id),
            response_url=response_url,
        )
        status, _ = await self.post(payloads.form_body(fields))
        assert status == 200
        return response_url

    async def reply_to(
        self, user_id: str, command: str, text: str = "", *, team_id: str = payloads.TEAM_ID
    ) -> dict[str, Any]:
        """Type a slash command and wait for its private reply."""
        response_url = await self.command(user_id, command, text, team_id=team_id)
        await self.settle()
        replies = self.fake.responses_to(response_url)
        assert len(replies) == 1, replies
        return replies[0]

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        return await self.post(payloads.interactivity_body(payload))

    async def settle(self) -> None:
        """Wait for what requests started after their ack: the core's work, the deliveries it
        kicked and the App Home refreshes, until none is left."""
        await self.adapter.settle()

    async def open_mentoring_checkin(self) -> None:
        """Ines (an admin) runs a weekly mentoring circle due at 10:30 on Tuesdays; Maya, a
        mentor, joins; an hour later (past 10:30 on the harness's Tuesday) her check-in opens."""
        await self.reply_to("UINES", "/circle", "create mentoring")
        for key, value in (("cadence", "weekly"), ("day", "tue"), ("time", "10:30")):
            await self.reply_to("UINES", "/circle", f"set mentoring {key} {value}")
        await self.reply_to("UMAYA", "/profile", "set role mentor")
        await self.reply_to("UMAYA", "/circle", "join mentoring as mentor")
        self.clock.advance(timedelta(hours=1))
        await self.app.due.run_due()
        await self.settle()

    def forms_shown(self) -> list[dict[str, Any]]:
        """The modals people were shown, in order: a "one moment" window is opened at once and
        filled with the form when the core has answered (views.update)."""
        return [c.params["view"] for c in self.fake.calls_to("views.update") if c.ok]

    def dms_to(self, user_id: str) -> list[str]:
        return [p.text for p in self.fake.posted if p.channel == "D" + user_id]

    def posts_in(self, channel: str) -> list[str]:
        return [p.text for p in self.fake.posted if p.channel == channel]


@asynccontextmanager
async def slack_harness(
    tmp_path: Path,
    start: datetime,
    *,
    socket: bool = False,
    workspace: Callable[[FakeSlack], None] = lambda fake: None,
    **overrides: object,
) -> AsyncIterator[SlackHarness]:
    """Over HTTP with a signing secret, or (`socket`) in Socket Mode with an app token; the
    fake Slack's `workspace` (people, channels) is set up before the adapter starts."""
    clock = ManualClock(start)
    async with FakeSlack() as fake:
        workspace(fake)
        mode = "socket" if socket else "http"
        settings = settings_for(
            f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}",
            slack={"mode": mode, "host": "127.0.0.1", "port": 0, "api_base_url": fake.api_url},
            **overrides,
        )
        credentials = (
            SlackCredentials("xoxb-test", app_token="xapp-test")
            if socket
            else SlackCredentials("xoxb-test", signing_secret=SECRET)
        )
        adapter = SlackAdapter(settings.slack, credentials)
        app = await bootstrap(settings, clock, {"slack": adapter.messenger})
        adapter.attach(app.bus, app.due, app.seen_events, clock)
        await adapter.start()
        try:
            async with aiohttp.ClientSession() as http:
                yield SlackHarness(fake, app, adapter, http, clock)
        finally:
            await adapter.stop()
            await app.close()


@dataclass
class OAuthHarness(SlackHarness):
    """The adapter with "Add to Slack": no bot token of its own, workspaces install it."""

    cookie: str = ""
    """What the last page set as cookies (name=value; ...)."""
    browser_cookie: str = ""
    """The cookies the browser sends back to the redirect URL."""

    @property
    def site(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}"

    async def get(self, path: str, cookie: str = "") -> tuple[int, str]:
        headers = {"Cookie": cookie} if cookie else {}
        async with self.http.get(self.site + path, headers=headers) as response:
            self.cookie = "; ".join(
                c.split(";", 1)[0] for c in response.headers.getall("Set-Cookie", [])
            )
            return response.status, await response.text()

    async def install_link(self) -> str:
        """Open the install page; the state its "Add to Slack" link carries (the browser keeps
        the cookie that goes with it: Bolt marks it Secure, which a test's http:// would drop,
        so it is kept here by hand)."""
        status, page = await self.get(self.adapter.config.install_path)
        assert status == 200, page
        self.browser_cookie = self.cookie
        match = _STATE.search(page)
        assert match is not None, page
        return match.group(1)

    async def come_back(self, code: str, state: str) -> tuple[int, str]:
        """Slack sends the administrator's browser back to the redirect URL."""
        path = f"{self.adapter.config.redirect_path}?code={code}&state={state}"
        return await self.get(path, self.browser_cookie)

    async def install(self, team_id: str, team_name: str) -> tuple[int, str]:
        """An administrator of `team_id` adds the app: install page, Allow, redirect back."""
        state = await self.install_link()
        status, page = await self.come_back(self.fake.approve_install(team_id, team_name), state)
        await self.settle()
        return status, page

    async def event(self, event: dict[str, Any], *, team_id: str, event_id: str) -> int:
        """Slack delivers an Events API event from `team_id`; the HTTP status."""
        body = payloads.json_body(
            payloads.event_callback(event, event_id=event_id, team_id=team_id)
        )
        status, _ = await self.post(body)
        await self.settle()
        return status


def oauth_env(fake: FakeSlack) -> dict[str, str]:
    """The secrets "Add to Slack" reads from the environment."""
    return {
        "SLACK_CLIENT_SECRET": fake.client_secret,
        "SLACK_SIGNING_SECRET": SECRET,
        KEY_ENV: TOKEN_KEY,
    }


@asynccontextmanager
async def oauth_harness(
    tmp_path: Path,
    start: datetime,
    *,
    url: str | None = None,
    workspace: Callable[[FakeSlack], None] = lambda fake: None,
) -> AsyncIterator[OAuthHarness]:
    """Built the way the service builds it (the platform, from the config and environment), on
    a SQLite file or the database at `url`."""
    clock = ManualClock(start)
    async with FakeSlack() as fake:
        workspace(fake)
        settings = settings_for(
            url or f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}",
            slack={
                "mode": "http",
                "host": "127.0.0.1",
                "port": 0,
                "api_base_url": fake.api_url,
                "client_id": fake.client_id,
            },
        )
        adapter = SLACK.adapter(settings, oauth_env(fake))
        assert adapter is not None
        app = await bootstrap(settings, clock, {"slack": adapter.messenger})
        adapter.attach(app.bus, app.due, app.seen_events, clock)
        await adapter.start()
        try:
            async with aiohttp.ClientSession() as http:
                yield OAuthHarness(fake, app, adapter, http, clock)
        finally:
            await adapter.stop()
            await app.close()

"""The real Slack adapter, served over HTTP on 127.0.0.1 against a fake Slack, on a real
database: what the Slack tests drive.

`SlackHarness.command(...)` posts a signed slash command the way Slack does and returns the
response URL its private reply goes to; `settle()` waits until the work the requests started
after their ack (the core, deliveries, App Home refreshes) has finished.
"""

from __future__ import annotations

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
from adapters.slack.runtime import SlackAdapter
from tests.support import slack_payloads as payloads
from tests.support.settings import settings_for
from tests.support.slack_fake import FakeSlack

SECRET = "test-signing-secret"


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

    async def command(self, user_id: str, command: str, text: str = "") -> str:
        """Type a slash command as `user_id`; the response URL its reply goes to."""
        response_url = self.fake.new_response_url()
        fields = payloads.slash_command(
            command,
            text,
            user_id,
            trigger_id=self.fake.new_trigger_id(user_id),
            response_url=response_url,
        )
        status, _ = await self.post(payloads.form_body(fields))
        assert status == 200
        return response_url

    async def reply_to(self, user_id: str, command: str, text: str = "") -> dict[str, Any]:
        """Type a slash command and wait for its private reply."""
        response_url = await self.command(user_id, command, text)
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

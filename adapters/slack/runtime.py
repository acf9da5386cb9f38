"""The Slack adapter as a whole: built from the config and the environment, attached to the
core, started and stopped as the service does; and `SLACK`, the platform the registry lists.

Rules:
- two Web API clients: one for answering people (users.info, views, response URLs) that
  slack-sdk retries on 429 and on broken connections, and one for the outbox's posts that never
  retries by itself, because a repeated post would be a duplicate message;
- at the start the workspace's admins and owners are recorded as moderators, in the background;
- Slack refusing a token that worked at the start (revoked, the app uninstalled) loses Slack for
  good: `lost()` says which token and what to do, and the service stops with a failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)

from adapters.config import Settings
from adapters.delivery import DeliverSoon
from adapters.shared.in_flight import InFlight, Settling, settle_all
from adapters.slack.ack_gate import AckGate
from adapters.slack.connection import (
    SlackCredentials,
    SocketConnection,
    WatchedClient,
    app_token_refused,
    bot_token_refused,
    check_token,
    connect_socket,
    serve_http,
)
from adapters.slack.home import HomePublisher
from adapters.slack.listeners import SlackListeners
from adapters.slack.manifest import MANIFEST
from adapters.slack.messenger import SlackMessenger
from adapters.slack.people import PLATFORM, SlackPeople
from adapters.slack.settings import SlackConfig
from bot.kernel.ports import Clock, SeenEvents
from bot.runtime.bus import MessageBus
from bot.runtime.due import DueWork

log = logging.getLogger(__name__)


def slash_commands() -> list[str]:
    """The slash commands the app manifest declares (the adapter listens to each)."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return [entry["command"] for entry in manifest["features"]["slash_commands"]]


class SlackAdapter:
    """Build with the config and credentials, give `messenger` to the bootstrap, then `attach`
    the core and `start`."""

    def __init__(self, config: SlackConfig, credentials: SlackCredentials) -> None:
        self.config = config
        self.credentials = credentials
        base = config.api_base_url
        self._lost = asyncio.Event()
        self._lost_because = ""
        bot_refused = self._refused(bot_token_refused)
        self.api_client = WatchedClient(
            bot_refused,
            token=credentials.bot_token,
            base_url=base,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ],
        )
        post_client = WatchedClient(
            bot_refused, token=credentials.bot_token, base_url=base, retry_handlers=[]
        )
        self.people = SlackPeople(self.api_client)
        self.messenger = SlackMessenger(
            post_client, config.sends_per_second, self._dm_delivered, self.people
        )
        self.home: HomePublisher | None = None
        self.deliver_soon: DeliverSoon | None = None
        self.bolt: AsyncApp | None = None
        self.listeners: SlackListeners | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._ack_gate = AckGate()
        self._team_id = ""
        self._meeting: asyncio.Task[None] | None = None
        self._background = InFlight()
        self._bus: MessageBus | None = None
        self._socket: SocketConnection | None = None

    def attach(self, bus: MessageBus, due: DueWork, seen: SeenEvents, clock: Clock) -> AsyncApp:
        """Wire the Bolt app to the core."""
        self._bus = bus
        self.home = HomePublisher(bus, self.api_client, self.people)
        self.deliver_soon = DeliverSoon(due)
        self.bolt = AsyncApp(
            client=self.api_client,
            signing_secret=self.credentials.signing_secret or "",
            request_verification_enabled=self.credentials.signing_secret is not None,
            process_before_response=False,
        )
        self.listeners = SlackListeners(
            bus, self.people, self.home, seen, clock, self.deliver_soon, self._ack_gate.after_ack
        )
        self.listeners.register(self.bolt, slash_commands())
        return self.bolt

    async def start(self) -> None:
        """Check the bot token with Slack, then serve HTTP or connect Socket Mode."""
        assert self.bolt is not None, "attach() first"
        self._team_id = await check_token(self.api_client, self.config.api_base_url)
        self._meeting = self._background.start(self._meet_moderators())
        if self.config.mode == "http":
            self._runner, self.port = await serve_http(
                self.bolt, self.config, [self._ack_gate.middleware]
            )
            return
        socket_client = WatchedClient(
            self._refused(app_token_refused),
            token=self.credentials.app_token,
            base_url=self.config.api_base_url,
        )
        self._socket = await connect_socket(self.bolt, self.credentials.app_token, socket_client)

    def _refused(self, saying: Callable[[str], str]) -> Callable[[str], None]:
        def refused(code: str) -> None:
            if not self._lost.is_set():
                self._lost_because = saying(code)
                self._lost.set()

        return refused

    async def lost(self) -> str:
        """Return once Slack has refused one of the tokens (revoked, the app uninstalled),
        saying which and what to do; while the tokens work, it waits."""
        await self._lost.wait()
        return self._lost_because

    async def _meet_moderators(self) -> None:
        """Record the workspace's admins and owners as moderators from the start, so a concern
        reaches them before they have used the bot; in the background, paced by Slack."""
        assert self._bus is not None
        try:
            async for moderator in self.people.moderators(self._team_id):
                await self._bus.meet(moderator)
        except (SlackApiError, SlackClientError, OSError) as e:
            log.warning(
                "could not list the workspace's admins (%s); they become moderators "
                "when they first use the bot",
                e,
            )

    async def settle(self) -> None:
        """Wait until the requests taken so far have done all their work after the ack: the
        core's, the deliveries it started and the App Home refreshes, whichever started which."""
        requests = self.listeners.in_flight if self.listeners is not None else None
        parts: list[Settling] = [
            p for p in (requests, self.deliver_soon, self.home) if p is not None
        ]
        await settle_all(self._background, *parts)

    async def stop(self) -> None:
        """Take no more requests, then let the ones taken finish their work."""
        if self._socket is not None:
            await self._socket.close_async()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._meeting is not None:
            self._meeting.cancel()
            await asyncio.gather(self._meeting, return_exceptions=True)
        await self.settle()

    def describe(self) -> str:
        if self.config.mode == "http":
            return f"Slack over HTTP on {self.config.host}:{self.port}{self.config.path}"
        return "Slack in Socket Mode"

    def _dm_delivered(self, team_id: str, user_id: str) -> None:
        if self.home is not None:
            self.home.touch(team_id, user_id)


class SlackPlatform:
    """Slack as the registry lists it: enabled by `[slack] enabled` or SLACK_BOT_TOKEN."""

    name = PLATFORM
    title = "Slack"
    token = "SLACK_BOT_TOKEN"
    maintenance = None

    def adapter(self, settings: Settings, env: Mapping[str, str]) -> SlackAdapter | None:
        if not (settings.slack.enabled or env.get(self.token)):
            return None
        return SlackAdapter(settings.slack, SlackCredentials.from_env(env, settings.slack))


SLACK = SlackPlatform()

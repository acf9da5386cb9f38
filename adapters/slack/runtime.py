"""The Slack adapter as a whole: built from the config and the environment, attached to the
core, started and stopped as the service does; and `SLACK`, the platform the registry lists.

Rules:
- two Web API clients: one for answering people (users.info, views, response URLs) that
  slack-sdk retries on 429 and on broken connections, and one for the outbox's posts that never
  retries by itself, because a repeated post would be a duplicate message;
- at the start the workspace's admins and owners are recorded as moderators, in the background;
- Slack refusing a token that worked at the start (revoked, the app uninstalled) loses Slack for
  good: `lost()` says which token and what to do, and the service stops with a failure;
- with "Add to Slack" (`[slack] client_id`, see adapters.slack.installs) there is no bot token of
  its own: each workspace's comes from its installation, for Bolt's requests (its authorize),
  the outbox's posts, users.info and App Home alike; a workspace just installed has its admins
  recorded as moderators; one uninstalled or revoked loses that workspace only, never Slack.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

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
from adapters.slack.installs import (
    InstalledTeams,
    OAuthSecrets,
    TeamClients,
    oauth_flow,
    open_store,
)
from adapters.slack.installs.revocations import Revocations
from adapters.slack.installs.store import InstallsDatabase
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

    def __init__(
        self,
        config: SlackConfig,
        credentials: SlackCredentials | OAuthSecrets,
        database_url: str = "",
    ) -> None:
        """One bot token (`SlackCredentials`), or "Add to Slack" (`OAuthSecrets`, with the
        installations in the database at `database_url`)."""
        self.config = config
        self.credentials = credentials
        self._lost = asyncio.Event()
        self._lost_because = ""
        self.installs: InstallsDatabase | None = None
        self._revocations: Revocations | None = None
        posts: AsyncWebClient | TeamClients
        people: AsyncWebClient | TeamClients
        if isinstance(credentials, OAuthSecrets):
            self.installs = open_store(database_url, config.client_id, credentials.cipher)
            store = self.installs.installations
            self.api_client = AsyncWebClient(base_url=config.api_base_url, retry_handlers=_retry())
            posts = InstalledTeams(store, lambda token: self._client(token, []))
            people = InstalledTeams(store, lambda token: self._client(token, _retry()))
            self._revocations = Revocations(store, lambda team: _forget(team, posts, people))
        else:
            bot_refused = self._refused(bot_token_refused)
            self.api_client = WatchedClient(
                bot_refused,
                token=credentials.bot_token,
                base_url=config.api_base_url,
                retry_handlers=_retry(),
            )
            posts = WatchedClient(
                bot_refused,
                token=credentials.bot_token,
                base_url=config.api_base_url,
                retry_handlers=[],
            )
            people = self.api_client
        self._people_clients = people
        self._post_clients = posts
        self.people = SlackPeople(people)
        self.messenger = SlackMessenger(
            posts, config.sends_per_second, self._dm_delivered, self.people
        )
        self.home: HomePublisher | None = None
        self.deliver_soon: DeliverSoon | None = None
        self.bolt: AsyncApp | None = None
        self.listeners: SlackListeners | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._ack_gate = AckGate()
        self._meeting: asyncio.Task[None] | None = None
        self._background = InFlight()
        self._bus: MessageBus | None = None
        self._socket: SocketConnection | None = None

    def attach(self, bus: MessageBus, due: DueWork, seen: SeenEvents, clock: Clock) -> AsyncApp:
        """Wire the Bolt app to the core."""
        self._bus = bus
        self.home = HomePublisher(bus, self._people_clients, self.people)
        self.deliver_soon = DeliverSoon(due)
        if self.installs is not None:
            self.bolt = self._oauth_app(clock)
        else:
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

    def _oauth_app(self, clock: Clock) -> AsyncApp:
        """Bolt with the install flow, each request authorised by its workspace's installation."""
        assert self.installs is not None
        assert self._revocations is not None
        assert isinstance(self.credentials, OAuthSecrets)
        self.installs.use_clock(clock, self.config.install_link_seconds)
        flow = oauth_flow(
            self.config,
            self.credentials,
            self.installs.installations,
            self.installs.states,
            self.api_client,
            self._installed,
        )
        bolt = AsyncApp(
            client=self.api_client,
            signing_secret=self.credentials.signing_secret,
            oauth_flow=flow,
            process_before_response=False,
        )
        self._revocations.register(bolt)
        return bolt

    def _client(self, token: str, retry_handlers: list[AsyncRetryHandler]) -> AsyncWebClient:
        return AsyncWebClient(
            token=token, base_url=self.config.api_base_url, retry_handlers=retry_handlers
        )

    def _installed(self, team_id: str) -> None:
        """A workspace installed the app (again): its new token from now on, and its admins
        recorded as moderators in the background."""
        _forget(team_id, self._post_clients, self._people_clients)
        self._background.start(self._meet_moderators(team_id))

    async def start(self) -> None:
        """Check the bot token with Slack, then serve HTTP or connect Socket Mode."""
        assert self.bolt is not None, "attach() first"
        if self.installs is None:
            team_id = await check_token(self.api_client, self.config.api_base_url)
            self._meeting = self._background.start(self._meet_moderators(team_id))
        if self.config.mode == "http":
            self._runner, self.port = await serve_http(
                self.bolt, self.config, [self._ack_gate.middleware]
            )
            return
        assert isinstance(self.credentials, SlackCredentials)
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

    async def _meet_moderators(self, team_id: str) -> None:
        """Record the workspace's admins and owners as moderators from the start, so a concern
        reaches them before they have used the bot; in the background, paced by Slack."""
        assert self._bus is not None
        try:
            async for moderator in self.people.moderators(team_id):
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
        revocations = self._revocations.in_flight if self._revocations is not None else None
        parts: list[Settling] = [
            p for p in (requests, revocations, self.deliver_soon, self.home) if p is not None
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
        if self.installs is not None:
            await self.installs.close()

    def describe(self) -> str:
        if self.config.mode == "http":
            where = f"Slack over HTTP on {self.config.host}:{self.port}{self.config.path}"
            if self.installs is not None:
                return f"{where}, Add to Slack at {self.config.install_path}"
            return where
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
        if not (settings.slack.enabled or env.get(self.token) or settings.slack.oauth):
            return None
        if settings.slack.oauth:
            url = settings.storage.url
            return SlackAdapter(settings.slack, OAuthSecrets.from_env(env), url)
        return SlackAdapter(settings.slack, SlackCredentials.from_env(env, settings.slack))


def _retry() -> list[AsyncRetryHandler]:
    """Retries for answering people: a broken connection or a 429, twice (never for posts)."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
    ]


def _forget(team_id: str, *clients: AsyncWebClient | TeamClients) -> None:
    for each in clients:
        if not isinstance(each, AsyncWebClient):
            each.forget(team_id)


SLACK = SlackPlatform()

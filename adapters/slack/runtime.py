"""The Slack adapter as a whole: credentials, clients, the Bolt app, and its transport.

Rules:
- the bot token (SLACK_BOT_TOKEN) is always needed; Socket Mode also needs the app-level token
  (SLACK_APP_TOKEN), HTTP the signing secret (SLACK_SIGNING_SECRET); a missing or malformed
  one stops the start with a message naming the variable;
- two Web API clients: one for answering people (users.info, views, response URLs) that
  slack-sdk retries on 429 and on broken connections, and one for the outbox's posts that never
  retries by itself, because a repeated post would be a duplicate message;
- HTTP serves `[slack] path` on `[slack] host:port`; Socket Mode gives up with a clear error if
  Slack cannot be reached within `CONNECT_TIMEOUT_SECONDS` (slack-sdk alone would retry forever);
- Slack refusing a token that worked at the start (revoked, the app uninstalled) loses Slack for
  good: `lost()` says which token and what to do, and the service stops with a failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.config import ConfigError, Settings, SlackConfig
from adapters.delivery import DeliverSoon
from adapters.slack.ack_gate import AckGate
from adapters.slack.home import HomePublisher
from adapters.slack.listeners import SlackListeners
from adapters.slack.messenger import TOKEN_REFUSED, SlackMessenger
from adapters.slack.people import SlackPeople
from bot.kernel.ports import Clock, SeenEvents
from bot.runtime.bus import MessageBus
from bot.runtime.due import DueWork

CONNECT_TIMEOUT_SECONDS = 30.0
BACKLOG = 1024
"""Connections waiting to be accepted: a burst of 200 slash commands overflowed the default
128 and its last acks waited a second for the client to retry."""
log = logging.getLogger(__name__)


class _SameTokenTwice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself, then warns on every start that
    the client's token wins over it: it is the same token, so there is nothing to act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


logging.getLogger("slack_bolt.AsyncApp").addFilter(_SameTokenTwice())


class SlackStartError(Exception):
    """Slack could not be reached or served; the message says what to check."""


MANIFEST = Path(__file__).with_name("manifest.json")


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str], config: SlackConfig) -> SlackCredentials:
        bot = _required(env, "SLACK_BOT_TOKEN", "xoxb-", "the bot token from OAuth & Permissions")
        if config.mode == "socket":
            app = _required(
                env,
                "SLACK_APP_TOKEN",
                "xapp-",
                'the app-level token with connections:write (Socket Mode, [slack] mode = "socket")',
            )
            return cls(bot, app_token=app)
        secret = _required(
            env,
            "SLACK_SIGNING_SECRET",
            "",
            'the signing secret from Basic Information (HTTP, [slack] mode = "http")',
        )
        return cls(bot, signing_secret=secret)


def _required(env: Mapping[str, str], name: str, prefix: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: Slack needs {what}. See docs/slack.md.")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} should start with {prefix}: it is {what}. See docs/slack.md.")
    return value


class _WatchedClient(AsyncWebClient):
    """A Web API client that tells `on_refused` when Slack refuses its token (and still raises,
    so its caller answers as it would)."""

    def __init__(self, on_refused: Callable[[str], None], **options: Any) -> None:
        super().__init__(**options)
        self._on_refused = on_refused

    async def api_call(self, *args: Any, **kwargs: Any) -> AsyncSlackResponse:
        try:
            return await super().api_call(*args, **kwargs)
        except SlackApiError as e:
            code = str(e.response.get("error", "")) if e.response is not None else ""
            if code in TOKEN_REFUSED:
                self._on_refused(code)
            raise


def _bot_token_refused(code: str) -> str:
    return (
        f"Slack no longer accepts SLACK_BOT_TOKEN ({code}: the token was revoked, or the app "
        "uninstalled); reinstall the app (OAuth & Permissions), set SLACK_BOT_TOKEN to the new "
        "Bot User OAuth Token and start the bot again"
    )


def _app_token_refused(code: str) -> str:
    return (
        f"Slack no longer accepts SLACK_APP_TOKEN ({code}: the token was revoked); make a new "
        "app-level token with connections:write (Basic Information → App-Level Tokens), set "
        "SLACK_APP_TOKEN to it and start the bot again"
    )


def slack_adapter(settings: Settings, env: Mapping[str, str]) -> SlackAdapter | None:
    """The Slack adapter when the config enables it or SLACK_BOT_TOKEN is set, else None."""
    if not (settings.slack.enabled or env.get("SLACK_BOT_TOKEN")):
        return None
    return SlackAdapter(settings.slack, SlackCredentials.from_env(env, settings.slack))


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
        bot_refused = self._refused(_bot_token_refused)
        self.api_client = _WatchedClient(
            bot_refused,
            token=credentials.bot_token,
            base_url=base,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ],
        )
        post_client = _WatchedClient(
            bot_refused, token=credentials.bot_token, base_url=base, retry_handlers=[]
        )
        self.messenger = SlackMessenger(post_client, config.sends_per_second, self._dm_delivered)
        self.people = SlackPeople(self.api_client)
        self.home: HomePublisher | None = None
        self.deliver_soon: DeliverSoon | None = None
        self.bolt: AsyncApp | None = None
        self.listeners: SlackListeners | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._ack_gate = AckGate()
        self._team_id = ""
        self._meeting: asyncio.Task[None] | None = None
        self._bus: MessageBus | None = None
        self._socket: AsyncSocketModeHandler | None = None

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
        await self._check_token()
        self._meeting = asyncio.create_task(self._meet_moderators())
        if self.config.mode == "http":
            server = self.bolt.web_app(path=self.config.path)
            server.middlewares.extend([self._ack_gate.middleware, _refuse_malformed])
            self._runner = web.AppRunner(server)
            await self._runner.setup()
            site = web.TCPSite(self._runner, self.config.host, self.config.port, backlog=BACKLOG)
            try:
                await site.start()
            except OSError as e:
                await self._runner.cleanup()
                raise SlackStartError(
                    f"cannot listen on {self.config.host}:{self.config.port} ({e.strerror}); "
                    "change [slack] host or port"
                ) from None
            self.port = _bound_port(self._runner, self.config.port)
            return
        socket_client = _WatchedClient(
            self._refused(_app_token_refused),
            token=self.credentials.app_token,
            base_url=self.config.api_base_url,
        )
        self._socket = AsyncSocketModeHandler(
            self.bolt, self.credentials.app_token, web_client=socket_client
        )
        try:
            await asyncio.wait_for(
                self._socket.connect_async(),  # type: ignore[no-untyped-call]
                CONNECT_TIMEOUT_SECONDS,
            )
        except TimeoutError:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            raise SlackStartError(
                f"Slack's Socket Mode did not connect within {CONNECT_TIMEOUT_SECONDS:.0f} s; "
                "check SLACK_APP_TOKEN and that Socket Mode is on for the app"
            ) from None

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

    async def _check_token(self) -> None:
        try:
            identity = await self.api_client.auth_test()
            self._team_id = str(identity.get("team_id") or "")
        except SlackApiError as e:
            raise SlackStartError(
                f"Slack refused SLACK_BOT_TOKEN ({e.response.get('error')}); copy the Bot User "
                "OAuth Token again from the app's OAuth & Permissions page"
            ) from None
        except (SlackClientError, OSError) as e:
            raise SlackStartError(
                f"cannot reach Slack at {self.config.api_base_url} ({e}); check the network "
                "or [slack] api_base_url"
            ) from None

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
        if self._meeting is not None:
            await asyncio.gather(self._meeting, return_exceptions=True)
        parts = [p for p in (self.listeners, self.deliver_soon, self.home) if p is not None]
        while any(part.busy for part in parts):
            for part in parts:
                await part.settle()

    async def stop(self) -> None:
        """Take no more requests, then let the ones taken finish their work."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
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


@web.middleware
async def _refuse_malformed(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body Bolt cannot read (broken JSON, not UTF-8, the wrong shape) gets 400, not a 500
    and a traceback; the log names the error's type only, as its message may quote the body
    (what a member typed)."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as e:
        log.warning("refused a malformed request to %s: %s", request.path, type(e).__name__)
        return web.Response(status=400, text="malformed request")


def _bound_port(runner: web.AppRunner, configured: int) -> int:
    """The port really listened on (the configured one, or the free one given for 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return configured

"""How the Slack adapter reaches Slack: its secrets, its Web API clients, and its transport.

Rules:
- the bot token (SLACK_BOT_TOKEN) is always needed; Socket Mode also needs the app-level token
  (SLACK_APP_TOKEN), HTTP the signing secret (SLACK_SIGNING_SECRET); a missing or malformed
  one stops the start with a message naming the variable;
- a client tells whoever built it when Slack refuses its token (revoked, the app uninstalled),
  in words that say which token and what to do, and still raises to its caller;
- HTTP serves `[slack] path` on `[slack] host:port`, and a body Bolt cannot read gets 400;
  Socket Mode gives up with a clear error if Slack cannot be reached within
  `CONNECT_TIMEOUT_SECONDS` (slack-sdk alone would retry forever).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.config import ConfigError
from adapters.platform import StartError
from adapters.slack.messenger import TOKEN_REFUSED
from adapters.slack.settings import SlackConfig

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


class SlackStartError(StartError):
    """Slack could not be reached or served; the message says what to check."""

    platform = "slack"


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


class WatchedClient(AsyncWebClient):
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


def bot_token_refused(code: str) -> str:
    return (
        f"Slack no longer accepts SLACK_BOT_TOKEN ({code}: the token was revoked, or the app "
        "uninstalled); reinstall the app (OAuth & Permissions), set SLACK_BOT_TOKEN to the new "
        "Bot User OAuth Token and start the bot again"
    )


def app_token_refused(code: str) -> str:
    return (
        f"Slack no longer accepts SLACK_APP_TOKEN ({code}: the token was revoked); make a new "
        "app-level token with connections:write (Basic Information → App-Level Tokens), set "
        "SLACK_APP_TOKEN to it and start the bot again"
    )


async def check_token(client: AsyncWebClient, api_base_url: str) -> str:
    """Ask Slack whose the bot token is; the id of the workspace it serves."""
    try:
        identity = await client.auth_test()
        return str(identity.get("team_id") or "")
    except SlackApiError as e:
        raise SlackStartError(
            f"Slack refused SLACK_BOT_TOKEN ({e.response.get('error')}); copy the Bot User "
            "OAuth Token again from the app's OAuth & Permissions page"
        ) from None
    except (SlackClientError, OSError) as e:
        raise SlackStartError(
            f"cannot reach Slack at {api_base_url} ({e}); check the network or [slack] api_base_url"
        ) from None


async def serve_http(
    bolt: AsyncApp, config: SlackConfig, middlewares: Sequence[Middleware]
) -> tuple[web.AppRunner, int]:
    """Serve the Bolt app on `[slack] host:port` behind `middlewares`: the runner, and the port
    really listened on (the configured one, or the free one given for 0)."""
    server = bolt.web_app(path=config.path)
    server.middlewares.extend([*middlewares, _refuse_malformed])
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port, backlog=BACKLOG)
    try:
        await site.start()
    except OSError as e:
        await runner.cleanup()
        raise SlackStartError(
            f"cannot listen on {config.host}:{config.port} ({e.strerror}); "
            "change [slack] host or port"
        ) from None
    return runner, _bound_port(runner, config.port)


class SocketConnection(Protocol):
    """The part of Bolt's Socket Mode handler the adapter uses (slack-bolt leaves it untyped)."""

    async def connect_async(self) -> None: ...

    async def close_async(self) -> None: ...


async def connect_socket(
    bolt: AsyncApp, app_token: str | None, client: AsyncWebClient
) -> SocketConnection:
    """Connect Bolt through Socket Mode, or say why it could not within the timeout."""
    socket: SocketConnection = AsyncSocketModeHandler(bolt, app_token, web_client=client)
    try:
        await asyncio.wait_for(socket.connect_async(), CONNECT_TIMEOUT_SECONDS)
    except TimeoutError:
        await socket.close_async()
        raise SlackStartError(
            f"Slack's Socket Mode did not connect within {CONNECT_TIMEOUT_SECONDS:.0f} s; "
            "check SLACK_APP_TOKEN and that Socket Mode is on for the app"
        ) from None
    return socket


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
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return configured

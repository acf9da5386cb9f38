"""A fake Slack on 127.0.0.1 for the Slack adapter's tests: Web API, response URLs, Socket Mode.

`FakeSlack` serves, on a free port of 127.0.0.1 and with no network:
- the Web API under `/api/<method>` (point `AsyncWebClient(base_url=fake.api_url)` at it), taking
  query, form-encoded and JSON parameters alike, and answering the way Slack does: HTTP 200 with
  `{"ok": false, "error": ...}` for refusals, 429 with `Retry-After` for rate limits (queued with
  `fail_next`, or one post a second per channel after `limit_posts`);
- response URLs (`new_response_url()`), whose POSTed JSON bodies are recorded in `responses`;
- file uploads the way `files_upload_v2` makes them: `files.getUploadURLExternal` hands out an
  upload URL on the fake itself, the bytes POSTed there (raw or as a multipart form) are kept
  per file id in `uploads`, and `files.completeUploadExternal` shares them (`file_shares`: the
  channel, the initial comment and the files with their bytes); both methods need the
  `files:write` scope (`scopes`), and `fail_next_upload` makes the upload URL answer an error;
- "Add to Slack": `approve_install(team_id, team_name)` is an administrator pressing Allow on
  Slack's page: it returns the code Slack sends back to the redirect URL, which `oauth.v2.access`
  (with `client_id` and `client_secret`, as HTTP Basic auth or parameters) exchanges once for a
  bot token of that team; each such token is answered as its own team's (`auth.test`), every
  call records the token it came with, and `uninstall(team_id)` makes the team's tokens
  `token_revoked`, as Slack does when the app is removed;
- Socket Mode: `apps.connections.open` (app-level `xapp-` token in the Authorization header)
  hands out `ws://127.0.0.1:PORT/socket?ticket=...`; the socket greets with `hello`, the test
  pushes envelopes with `send_envelope` and reads the acks with `wait_for_ack`.

Every Web API call is recorded (`calls`, `calls_to`, `wait_for`), failed and dropped ones
included. What a successful call did is kept apart: `posted` (messages and ephemeral messages),
`views` (modals by id) and `home_views` (App Home by user). Faults are queued per method with
`fail_next` (answer an error) and `drop_next` (read the request, answer nothing, close the
connection).

Time for trigger ids and response URLs is the fake's own clock (`now()`, moved on with
`advance(seconds)`), so a test can expire a trigger without sleeping.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import math
import secrets
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final
from zoneinfo import ZoneInfo

from aiohttp import WSMsgType, web
from multidict import CIMultiDict, CIMultiDictProxy

from tests.support.local_server import LocalServer

JsonDict = dict[str, Any]

TRIGGER_LIFETIME: Final = 3.0
"""Seconds a trigger_id can be exchanged for a modal (Slack: 3 s)."""
RESPONSE_URL_LIFETIME: Final = 30 * 60.0
RESPONSE_URL_USES: Final = 5
"""Slack accepts at most 5 posts to one response_url within 30 minutes."""
DEFAULT_SCOPES: Final = "commands,chat:write,im:write,users:read,files:write"
ENVELOPE_TYPES: Final = frozenset({"slash_commands", "interactive", "events_api"})
_INTERACTIVE_WITH_RESPONSE: Final = frozenset({"view_submission", "block_suggestion"})
_JSON_STRING_FIELDS: Final = ("blocks", "attachments", "view", "metadata")
_MAX_TEXT: Final = 40_000
_MAX_BLOCKS: Final = 50
_MAX_VIEW_BLOCKS: Final = 100
_MAX_MPIM_USERS: Final = 8
_MAX_FILE_BYTES: Final = 1024 * 1024 * 1024
"""Slack takes files up to 1 GB."""
_MAX_REQUEST_BYTES: Final = 64 * 1024 * 1024
"""What the fake reads of one request (aiohttp's default, 1 MiB, is below a file's size)."""


@dataclass(frozen=True)
class Call:
    """One request to the Web API, as the fake read it."""

    method: str
    params: JsonDict
    """Query, form and JSON parameters merged; JSON-string fields (blocks, view...) decoded."""
    headers: CIMultiDictProxy[str]
    token: str | None
    """The token the call was made with (Authorization header, or a form `token` field)."""
    answer: JsonDict | None = None
    """The body answered; None for a dropped call."""
    status: int | None = None
    """The HTTP status answered; None for a dropped call."""

    @property
    def ok(self) -> bool:
        return self.answer is not None and self.answer.get("ok") is True

    @property
    def error(self) -> str | None:
        """The Slack error answered, "dropped" for a dropped call, None when ok."""
        if self.answer is None:
            return "dropped"
        error = self.answer.get("error")
        return None if error is None else str(error)


@dataclass(frozen=True)
class Posted:
    """A message Slack took: chat.postMessage, or chat.postEphemeral (`ephemeral_user` set)."""

    channel: str
    """The conversation it went to (a user id given as channel resolves to their DM "D...")."""
    ts: str
    text: str | None
    blocks: list[Any] | None
    thread_ts: str | None
    ephemeral_user: str | None
    params: JsonDict


@dataclass
class _User:
    id: str
    name: str
    real_name: str
    is_admin: bool
    is_owner: bool
    is_bot: bool
    deleted: bool
    tz: str
    team_id: str | None = None
    """Their own organisation's team when it is not this workspace's (Slack Connect)."""


@dataclass
class _Trigger:
    issued_at: float
    user_id: str | None
    exchanged: bool = False


@dataclass
class _ResponseUrl:
    issued_at: float
    uses: int = 0


@dataclass(frozen=True)
class _Fault:
    error: str | None
    """None: drop the connection instead of answering."""
    status: int
    retry_after: float | None
    processed: bool = False
    """For a drop: whether Slack did the work before the answer got lost."""


@dataclass(frozen=True)
class _Socket:
    ws: web.WebSocketResponse


@dataclass(frozen=True)
class SharedFile:
    """One file of a files.completeUploadExternal, with the bytes POSTed to its upload URL."""

    id: str
    name: str
    """The filename given to files.getUploadURLExternal."""
    title: str | None
    content: bytes


@dataclass(frozen=True)
class FileShare:
    """A files.completeUploadExternal Slack took."""

    channel: str | None
    """The conversation the files were shared in (a user id resolves to their DM "D..."); None
    when shared nowhere (private to the app)."""
    initial_comment: str | None
    thread_ts: str | None
    files: tuple[SharedFile, ...]
    params: JsonDict


@dataclass
class _PendingFile:
    id: str
    name: str
    length: int


class SlackApiRefusal(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class FakeSlack:
    """A fake Slack workspace served on 127.0.0.1. Use as `async with FakeSlack() as fake:`."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Fake Team",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        bot_name: str = "mentorbot",
        app_id: str = "A0001",
        scopes: str = DEFAULT_SCOPES,
        dm_to_deleted_user_error: str | None = "account_inactive",
        clock: Callable[[], float] = time.monotonic,
        client_id: str = "1111.2222",
        client_secret: str = "fake-client-secret",
    ) -> None:
        """`dm_to_deleted_user_error`: what chat.postMessage answers for the DM of a deactivated
        user; None makes it succeed (what slack-sdk issue #1156 reports real Slack doing)."""
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_name.lower().replace(" ", "-")
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.scopes = scopes
        self.dm_to_deleted_user_error = dm_to_deleted_user_error
        self.client_id = client_id
        self.client_secret = client_secret
        self.teams: dict[str, str] = {}
        """Teams that installed the app through OAuth: their names, by id."""
        self._codes: dict[str, tuple[str, str, str]] = {}
        self._team_of_token: dict[str, str] = {}
        self._revoked: set[str] = set()
        self._calling_team = team_id
        self._clock = clock
        self._offset = 0.0

        self.calls: list[Call] = []
        self.posted: list[Posted] = []
        self.views: dict[str, JsonDict] = {}
        """Modals opened (views.open / views.push), by view id, as last updated."""
        self.home_views: dict[str, JsonDict] = {}
        """App Home views published, by user id."""
        self.responses: list[JsonDict] = []
        """JSON bodies POSTed to response URLs, in arrival order."""
        self.acks: dict[str, JsonDict | None] = {}
        """Socket Mode acks by envelope id: the ack's payload, None for a bare ack."""
        self.envelopes_sent: list[JsonDict] = []
        self.socket_messages: list[JsonDict] = []
        """Everything the app sent up the websockets (acks), in arrival order."""
        self.socket_connections = 0
        self.uploads: dict[str, bytes] = {}
        """Bytes POSTed to upload URLs, by file id (complete or not)."""
        self.file_shares: list[FileShare] = []
        self._pending_files: dict[str, _PendingFile] = {}
        self._upload_faults: deque[int] = deque()
        """Websocket connections established so far."""

        self._users: dict[str, _User] = {}
        self._channels: dict[str, str] = {}
        self._joined: set[str] = set()
        self._open_ims: set[str] = set()
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._responses_by_token: list[tuple[str, JsonDict]] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._post_interval: float | None = None
        self._last_post: dict[str, float] = {}
        self.post_times: list[tuple[str, float]] = []
        """(channel, the fake's time) of each post taken once `limit_posts` is on."""
        self._tickets: set[str] = set()
        self._sockets: list[_Socket] = []
        self._ids = itertools.count(1)
        self._ts_base = int(time.time())
        self._ts_seq = itertools.count(100)
        self._changed = asyncio.Condition()
        self._server = LocalServer()
        self.base_url = ""
        self.add_user(bot_user_id, bot_name, is_bot=True)

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application(client_max_size=_MAX_REQUEST_BYTES)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self.base_url = await self._server.serve(app)

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.ws.close()
        await self._server.stop_serving()

    @property
    def api_url(self) -> str:
        """For `AsyncWebClient(base_url=...)`: the trailing slash matters."""
        return f"{self.base_url}/api/"

    @property
    def socket_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + "/socket"

    # -- the workspace -----------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "Europe/Berlin",
        real_name: str | None = None,
        team_id: str | None = None,
    ) -> JsonDict:
        """Register (or replace) a member; returns the user object users.info will answer. A
        `team_id` other than the workspace's makes them a Slack Connect guest from another
        organisation, whose admin flags are their own organisation's."""
        self._users[user_id] = _User(
            user_id,
            name,
            real_name or name.title(),
            is_admin,
            is_owner,
            is_bot,
            deleted,
            tz,
            team_id,
        )
        return self._user_object(self._users[user_id])

    def approve_install(self, team_id: str, team_name: str, installer: str = "UINSTALLER") -> str:
        """An administrator of `team_id` pressed Allow on Slack's install page: the code Slack
        sends back to the app's redirect URL."""
        code = f"code-{team_id}-{next(self._ids)}"
        self._codes[code] = (team_id, team_name, installer)
        return code

    def uninstall(self, team_id: str) -> None:
        """The app was removed from `team_id`: Slack refuses its tokens from now on."""
        self._revoked.update(t for t, team in self._team_of_token.items() if team == team_id)

    def new_token(self, team_id: str) -> str:
        """A bot token of `team_id`, as oauth.v2.access gives one (to another instance, say)."""
        token = f"xoxb-{team_id}-{next(self._ids)}-{secrets.token_hex(12)}"
        self._team_of_token[token] = team_id
        return token

    def tokens_of(self, team_id: str) -> list[str]:
        """The bot tokens `oauth.v2.access` gave `team_id`, oldest first."""
        return [t for t, team in self._team_of_token.items() if team == team_id]

    def deactivate_user(self, user_id: str) -> None:
        self._users[user_id].deleted = True

    def add_channel(
        self, channel_id: str, name: str | None = None, *, member: bool = False
    ) -> None:
        """A channel that exists; the bot is in it only if `member` (or after join_channel)."""
        self._channels[channel_id] = name or channel_id.lower()
        if member:
            self._joined.add(channel_id)

    def join_channel(self, channel_id: str) -> None:
        self._channels.setdefault(channel_id, channel_id.lower())
        self._joined.add(channel_id)

    def leave_channel(self, channel_id: str) -> None:
        self._joined.discard(channel_id)

    # -- the fake's clock --------------------------------------------------------------------

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on (expires triggers and response URLs without sleeping)."""
        self._offset += seconds

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger id as Slack puts in an interaction, issued now by the fake's clock."""
        trigger_id = f"{next(self._ids)}.{self._ts_base}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(self.now(), user_id)
        return trigger_id

    # -- response URLs -----------------------------------------------------------------------

    def new_response_url(self) -> str:
        token = secrets.token_urlsafe(12)
        self._response_urls[token] = _ResponseUrl(self.now())
        return f"{self.base_url}/response/{token}"

    def responses_to(self, response_url: str) -> list[JsonDict]:
        token = response_url.rstrip("/").rsplit("/", 1)[-1]
        return [body for t, body in self._responses_by_token if t == token]

    async def wait_for_response(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[JsonDict]:
        """Return `responses` once at least `count` arrived; AssertionError after `timeout`."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: len(self.responses) >= count)
        except TimeoutError:
            raise AssertionError(
                f"expected {count} post(s) to response URLs within {timeout} s, got "
                f"{len(self.responses)}: {self.responses!r}; API calls: {self._call_summary()}"
            ) from None
        return list(self.responses)

    # -- recorded calls ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        """Return `calls_to(method)` once at least `count` of them arrived (answered, refused or
        dropped); AssertionError listing what did arrive after `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
        except TimeoutError:
            raise AssertionError(
                f"expected {count} call(s) to {method} within {timeout} s, got "
                f"{len(self.calls_to(method))}; calls that arrived: {self._call_summary()}"
            ) from None
        return self.calls_to(method)

    def _call_summary(self) -> str:
        if not self.calls:
            return "none"
        return ", ".join(f"{c.method} ({c.error or 'ok'})" for c in self.calls)

    # -- faults ------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls to `method` answer `{"ok": false, "error": error}` and do
        nothing. `status` defaults to 429 for "ratelimited" (with `Retry-After`, 1 s unless
        given) and to 200 otherwise, as Slack answers refusals."""
        if status is None:
            status = 429 if error == "ratelimited" else 200
        if status == 429 and retry_after is None:
            retry_after = 1
        for _ in range(times):
            self._faults.setdefault(method, deque()).append(_Fault(error, status, retry_after))

    def limit_posts(self, seconds: float = 1.0) -> None:
        """From now on a channel (a DM too) takes one chat.postMessage every `seconds` (Slack:
        about one a second, short bursts of two allowed): a post past that answers 429
        `ratelimited` with `Retry-After` (whole seconds, as Slack gives it) and is not posted."""
        self._post_interval = seconds

    def _too_soon(self, method: str, params: JsonDict) -> _Fault | None:
        """A post past its channel's limit (a bucket two deep): Slack's 429."""
        if self._post_interval is None or method != "chat.postMessage":
            return None
        channel, now, interval = str(params.get("channel", "")), self.now(), self._post_interval
        next_free = self._last_post.get(channel, now)  # when the bucket would be full again
        left = next_free - interval - now
        if left > 0:
            return _Fault("ratelimited", 429, max(1, math.ceil(left)))
        self._last_post[channel] = max(next_free, now) + interval
        self.post_times.append((channel, now))
        return None

    def drop_next(self, method: str, *, processed: bool = False, times: int = 1) -> None:
        """The next `times` calls to `method` are read and then the connection is closed with
        no answer (the client sees a disconnect). With `processed`, the fake does the work
        first (a message is posted, a modal opened): the "sent but never confirmed" case.
        Note that slack-sdk's default retry handler resends once after such a disconnect."""
        for _ in range(times):
            self._faults.setdefault(method, deque()).append(_Fault(None, 0, None, processed))

    def fail_next_upload(self, status: int = 500, *, times: int = 1) -> None:
        """The next `times` POSTs to an upload URL answer `status` and keep nothing."""
        self._upload_faults.extend([status] * times)

    # -- files -------------------------------------------------------------------------------

    def files_in(self, channel: str) -> list[SharedFile]:
        """The files shared in `channel`, in order."""
        return [f for share in self.file_shares if share.channel == channel for f in share.files]

    # -- Socket Mode -------------------------------------------------------------------------

    async def wait_for_socket(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Return once `count` websocket connections were established and one is open."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(
                    lambda: self.socket_connections >= count and bool(self._sockets)
                )
        except TimeoutError:
            raise AssertionError(
                f"expected {count} Socket Mode connection(s) within {timeout} s, got "
                f"{self.socket_connections} ({len(self._sockets)} open); "
                f"API calls: {self._call_summary()}"
            ) from None

    async def send_envelope(
        self,
        payload_type: str,
        payload: JsonDict,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> str:
        """Push an envelope down the newest open socket (waiting up to `timeout` for one);
        returns its envelope_id. Like Slack, only events_api envelopes carry retry_attempt and
        retry_reason."""
        if payload_type not in ENVELOPE_TYPES:
            raise ValueError(f"envelope type {payload_type!r} not one of {sorted(ENVELOPE_TYPES)}")
        await self.wait_for_socket(timeout=timeout)
        envelope_id = str(uuid.uuid4())
        if payload_type == "interactive":
            accepts_response_payload = payload.get("type") in _INTERACTIVE_WITH_RESPONSE
        else:
            accepts_response_payload = payload_type == "slash_commands"
        envelope: JsonDict = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": payload_type,
            "accepts_response_payload": accepts_response_payload,
        }
        if payload_type == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        self.envelopes_sent.append(envelope)
        await self._sockets[-1].ws.send_str(json.dumps(envelope))
        return envelope_id

    async def wait_for_ack(
        self,
        envelope_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> JsonDict | None:
        """The ack's payload (None for a bare ack) once the app acked `envelope_id`;
        AssertionError after `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: envelope_id in self.acks)
        except TimeoutError:
            raise AssertionError(
                f"envelope {envelope_id} not acked within {timeout} s; acked: "
                f"{sorted(self.acks)}; API calls: {self._call_summary()}"
            ) from None
        return self.acks[envelope_id]

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to move to a new connection, as Slack does every few hours."""
        await self.wait_for_socket()
        message = {
            "type": "disconnect",
            "reason": reason,
            "debug_info": {"host": "fake-applink"},
        }
        await self._sockets[-1].ws.send_str(json.dumps(message))

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") not in self._tickets:
            raise web.HTTPUnauthorized(text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.socket_connections += 1
        socket = _Socket(ws)
        hello = {
            "type": "hello",
            "num_connections": len(self._sockets) + 1,
            "debug_info": {
                "host": "fake-applink",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        await ws.send_str(json.dumps(hello))
        self._sockets.append(socket)
        await self._notify()
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                data = json.loads(message.data)
                self.socket_messages.append(data)
                envelope_id = data.get("envelope_id")
                if isinstance(envelope_id, str):
                    self.acks[envelope_id] = data.get("payload")
                await self._notify()
        finally:
            self._sockets.remove(socket)
            await self._notify()
        return ws

    # -- HTTP plumbing -----------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params, body_token = await self._read_params(request)
        if method == "oauth.v2.access":
            params.update(_basic_auth(request.headers.get("Authorization")))
        header_token = _bearer(request.headers.get("Authorization"))
        token = header_token or body_token
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        fault = self._take_fault(method) or self._too_soon(method, params)

        if fault is not None and fault.error is None:
            if fault.processed:
                with contextlib.suppress(SlackApiRefusal):
                    self._dispatch(method, params, header_token, body_token)
            self.calls.append(Call(method, params, headers, token))
            await self._notify()
            _drop_connection(request)
            return web.Response(status=204)  # never written: the transport is gone

        extra_headers: dict[str, str] = {"X-OAuth-Scopes": self.scopes}
        if fault is not None:
            assert fault.error is not None
            status = fault.status
            answer: JsonDict = {"ok": False, "error": fault.error}
            if fault.retry_after is not None:
                extra_headers["Retry-After"] = _seconds(fault.retry_after)
        else:
            status = 200
            try:
                answer = {"ok": True, **self._dispatch(method, params, header_token, body_token)}
            except SlackApiRefusal as refusal:
                answer = {"ok": False, "error": refusal.error, **refusal.extra}
        self.calls.append(Call(method, params, headers, token, answer, status))
        await self._notify()
        return web.json_response(answer, status=status, headers=extra_headers)

    async def _read_params(self, request: web.Request) -> tuple[JsonDict, str | None]:
        params: JsonDict = dict(request.query)
        body_token: str | None = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            elif request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                form = await request.post()
                body_token = _str_or_none(form.get("token"))
                params.update({k: v for k, v in form.items() if k != "token"})
            else:
                await request.read()
        params.pop("token", None)
        for name in _JSON_STRING_FIELDS:
            value = params.get(name)
            if isinstance(value, str) and value[:1] in ("[", "{"):
                with contextlib.suppress(json.JSONDecodeError):
                    params[name] = json.loads(value)
        return params, body_token

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    def _dispatch(
        self, method: str, params: JsonDict, header_token: str | None, body_token: str | None
    ) -> JsonDict:
        if method == "oauth.v2.access":  # the app's client id and secret, no token
            return self._oauth_v2_access(params)
        if method == "apps.connections.open":
            # Slack wants the app-level token in the header here, never as a parameter.
            if header_token is None:
                raise SlackApiRefusal("not_authed")
            if not header_token.startswith("xapp-"):
                raise SlackApiRefusal("not_allowed_token_type")
            return self._apps_connections_open()
        token = header_token or body_token
        if token is None:
            raise SlackApiRefusal("not_authed")
        if token.startswith("xapp-"):
            raise SlackApiRefusal("not_allowed_token_type")
        if not token.startswith(("xoxb-", "xoxp-")):
            raise SlackApiRefusal("invalid_auth")
        if token in self._revoked:
            raise SlackApiRefusal("token_revoked")
        self._calling_team = self._team_of_token.get(token, self.team_id)
        handler = self._methods().get(method)
        if handler is None:
            raise SlackApiRefusal("unknown_method", req_method=method)
        return handler(params)

    def _methods(self) -> dict[str, Callable[[JsonDict], JsonDict]]:
        return {
            "api.test": lambda params: {"args": params} if params else {},
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
        }

    async def _response(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        url = self._response_urls.get(token)
        if url is None:
            return web.Response(status=404, text="no_such_url")
        if self.now() - url.issued_at > RESPONSE_URL_LIFETIME:
            return web.Response(status=404, text="expired_url")
        if url.uses >= RESPONSE_URL_USES:
            return web.Response(status=404, text="used_url")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        url.uses += 1
        self.responses.append(body)
        self._responses_by_token.append((token, body))
        await self._notify()
        return web.json_response({"ok": True})

    # -- Web API methods ---------------------------------------------------------------------

    def _oauth_v2_access(self, params: JsonDict) -> JsonDict:
        if params.get("client_id") != self.client_id:
            raise SlackApiRefusal("invalid_client_id")
        if params.get("client_secret") != self.client_secret:
            raise SlackApiRefusal("bad_client_secret")
        code = str(params.get("code", ""))
        if code not in self._codes:
            raise SlackApiRefusal("invalid_code")
        team_id, team_name, installer = self._codes.pop(code)
        token = self.new_token(team_id)
        self.teams[team_id] = team_name
        return {
            "app_id": self.app_id,
            "authed_user": {"id": installer},
            "scope": self.scopes,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": self.bot_user_id,
            "team": {"id": team_id, "name": team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _auth_test(self, params: JsonDict) -> JsonDict:
        team_id = self._calling_team
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.teams.get(team_id, self.team_name),
            "user": self._users[self.bot_user_id].name,
            "team_id": team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _users_info(self, params: JsonDict) -> JsonDict:
        user = self._users.get(str(params.get("user", "")))
        if user is None:
            raise SlackApiRefusal("user_not_found")
        return {"user": self._user_object(user)}

    def _users_list(self, params: JsonDict) -> JsonDict:
        """Every user, `limit` a page, with Slack's cursor paging (the cursor is an offset)."""
        users = list(self._users.values())
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 100)
        page = users[start : start + limit]
        following = str(start + limit) if start + limit < len(users) else ""
        return {
            "members": [self._user_object(u) for u in page],
            "response_metadata": {"next_cursor": following},
        }

    def _user_object(self, user: _User) -> JsonDict:
        profile: JsonDict = {
            "display_name": user.name,
            "real_name": user.real_name,
            "team": user.team_id or self.team_id,
        }
        if user.is_bot:
            profile["bot_id"] = self.bot_id if user.id == self.bot_user_id else f"B{user.id}"
        base: JsonDict = {
            "id": user.id,
            "team_id": user.team_id or self.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "profile": profile,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": self._ts_base,
        }
        if user.deleted:
            # A deactivated member keeps only a few fields: no tz, no admin flags, no real_name.
            return base
        zone = ZoneInfo(user.tz)
        now = datetime.now(UTC).astimezone(zone)
        offset = now.utcoffset()
        return {
            **base,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": now.tzname() or user.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "is_primary_owner": user.is_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
        }

    def _conversations_open(self, params: JsonDict) -> JsonDict:
        channel = params.get("channel")
        if channel:
            channel = str(channel)
            if channel not in self._open_ims and self._dm_user(channel) is None:
                raise SlackApiRefusal("channel_not_found")
            self._open_ims.add(channel)
            return {"no_op": True, "already_open": True, "channel": {"id": channel}}
        users = [u.strip() for u in _csv(params.get("users"))]
        if not users:
            raise SlackApiRefusal("not_enough_users")
        if len(users) > _MAX_MPIM_USERS:
            raise SlackApiRefusal("too_many_users")
        for user_id in users:
            user = self._users.get(user_id)
            if user is None:
                raise SlackApiRefusal("user_not_found")
            if user.deleted:
                raise SlackApiRefusal("user_disabled")
            if user.is_bot:
                raise SlackApiRefusal("cannot_dm_bot")
        channel_id = "D" + users[0] if len(users) == 1 else "G" + "".join(sorted(users))
        already_open = channel_id in self._open_ims
        self._open_ims.add(channel_id)
        answer: JsonDict = {"channel": {"id": channel_id}}
        if already_open:
            answer.update(no_op=True, already_open=True)
        if _truthy(params.get("return_im")):
            answer["channel"].update(
                created=self._ts_base,
                is_im=len(users) == 1,
                is_org_shared=False,
                user=users[0],
                is_user_deleted=False,
                priority=0,
            )
        return answer

    def _dm_user(self, channel_id: str) -> _User | None:
        if channel_id.startswith("D"):
            return self._users.get(channel_id[1:])
        return None

    def _resolve_channel(self, raw: object, *, for_post: bool) -> str:
        """The conversation a message goes to, or the refusal Slack gives."""
        channel = "" if raw is None else str(raw)
        if not channel:
            raise SlackApiRefusal("channel_not_found")
        if channel[0] in "UW":
            user = self._users.get(channel)
            if user is None or user.is_bot:
                raise SlackApiRefusal("channel_not_found")
            channel = "D" + channel
        user = self._dm_user(channel)
        if user is not None:
            if user.is_bot:
                raise SlackApiRefusal("channel_not_found")
            if user.deleted and for_post and self.dm_to_deleted_user_error is not None:
                raise SlackApiRefusal(self.dm_to_deleted_user_error)
            return channel
        if channel in self._open_ims:
            return channel
        if channel not in self._channels:
            raise SlackApiRefusal("channel_not_found")
        if channel not in self._joined:
            raise SlackApiRefusal("not_in_channel")
        return channel

    def _check_content(self, params: JsonDict) -> None:
        text, blocks = params.get("text"), params.get("blocks")
        if not text and not blocks and not params.get("attachments"):
            raise SlackApiRefusal("no_text")
        if isinstance(text, str) and len(text) > _MAX_TEXT:
            raise SlackApiRefusal("msg_too_long")
        if blocks is not None and (not isinstance(blocks, list) or len(blocks) > _MAX_BLOCKS):
            raise SlackApiRefusal("invalid_blocks")

    def _next_ts(self) -> str:
        seq = next(self._ts_seq)
        return f"{self._ts_base + seq // 1_000_000}.{seq % 1_000_000:06d}"

    def _chat_post_message(self, params: JsonDict) -> JsonDict:
        channel = self._resolve_channel(params.get("channel"), for_post=True)
        self._check_content(params)
        ts = self._next_ts()
        thread_ts = _str_or_none(params.get("thread_ts"))
        self.posted.append(
            Posted(
                channel,
                ts,
                _str_or_none(params.get("text")),
                _blocks(params),
                thread_ts,
                None,
                params,
            )
        )
        message: JsonDict = {
            "type": "message",
            "subtype": "bot_message",
            "text": params.get("text", ""),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": ts,
        }
        if "blocks" in params:
            message["blocks"] = params["blocks"]
        if thread_ts is not None:
            message["thread_ts"] = thread_ts
        return {"channel": channel, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, params: JsonDict) -> JsonDict:
        user_id = str(params.get("user", ""))
        user = self._users.get(user_id)
        channel = self._resolve_channel(params.get("channel"), for_post=False)
        if user is None or user.deleted:
            raise SlackApiRefusal("user_not_in_channel")
        self._check_content(params)
        ts = self._next_ts()
        self.posted.append(
            Posted(
                channel,
                ts,
                _str_or_none(params.get("text")),
                _blocks(params),
                _str_or_none(params.get("thread_ts")),
                user_id,
                params,
            )
        )
        return {"message_ts": ts}

    def _exchange_trigger(self, params: JsonDict) -> _Trigger:
        trigger_id = params.get("trigger_id") or params.get("interactivity_pointer")
        if not trigger_id:
            raise SlackApiRefusal(
                "invalid_arguments", response_metadata={"messages": ["invalid `trigger_id`"]}
            )
        trigger = self._triggers.get(str(trigger_id))
        if trigger is None:
            raise SlackApiRefusal("invalid_trigger_id")
        if trigger.exchanged:
            raise SlackApiRefusal("exchanged_trigger_id")
        if self.now() - trigger.issued_at > TRIGGER_LIFETIME:
            raise SlackApiRefusal("expired_trigger_id")
        return trigger

    def _view_argument(self, params: JsonDict, view_type: str) -> JsonDict:
        view = params.get("view")
        if not isinstance(view, dict) or view.get("type") != view_type:
            raise SlackApiRefusal(
                "invalid_arguments",
                response_metadata={"messages": [f"[ERROR] a `{view_type}` view is required"]},
            )
        blocks = view.get("blocks", [])
        if not isinstance(blocks, list) or len(blocks) > _MAX_VIEW_BLOCKS:
            raise SlackApiRefusal("invalid_arguments")
        return view

    def _stored_view(self, view: JsonDict, view_id: str, root_view_id: str | None) -> JsonDict:
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_view_id or view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def _new_view_id(self) -> str:
        return f"V{next(self._ids):08d}"

    def _views_open(self, params: JsonDict) -> JsonDict:
        trigger = self._exchange_trigger(params)
        view = self._view_argument(params, "modal")
        self._check_external_id(view)
        trigger.exchanged = True
        view_id = self._new_view_id()
        self.views[view_id] = self._stored_view(view, view_id, None)
        return {"view": self.views[view_id]}

    def _views_push(self, params: JsonDict) -> JsonDict:
        trigger = self._exchange_trigger(params)
        view = self._view_argument(params, "modal")
        self._check_external_id(view)
        if not self.views:
            raise SlackApiRefusal("not_found")
        trigger.exchanged = True
        root = next(reversed(self.views.values()))
        view_id = self._new_view_id()
        stored = self._stored_view(view, view_id, str(root["root_view_id"]))
        stored["previous_view_id"] = root["id"]
        self.views[view_id] = stored
        return {"view": stored}

    def _check_external_id(self, view: JsonDict) -> None:
        external_id = view.get("external_id")
        if external_id and any(v["external_id"] == external_id for v in self.views.values()):
            raise SlackApiRefusal("duplicate_external_id")

    def _views_update(self, params: JsonDict) -> JsonDict:
        view_id, external_id = params.get("view_id"), params.get("external_id")
        current: JsonDict | None = None
        if view_id:
            current = self.views.get(str(view_id))
        elif external_id:
            current = next(
                (v for v in self.views.values() if v["external_id"] == external_id), None
            )
        else:
            raise SlackApiRefusal("invalid_arguments")
        if current is None:
            raise SlackApiRefusal("not_found")
        view = self._view_argument(params, "modal")
        expected_hash = params.get("hash")
        if expected_hash and expected_hash != current["hash"]:
            raise SlackApiRefusal("hash_conflict")
        updated = self._stored_view(view, current["id"], current["root_view_id"])
        updated["previous_view_id"] = current["previous_view_id"]
        self.views[current["id"]] = updated
        return {"view": updated}

    def _views_publish(self, params: JsonDict) -> JsonDict:
        user_id = str(params.get("user_id", ""))
        user = self._users.get(user_id)
        if user is None or user.is_bot:
            raise SlackApiRefusal("user_not_found")
        view = self._view_argument(params, "home")
        current = self.home_views.get(user_id)
        expected_hash = params.get("hash")
        if current is not None and expected_hash and expected_hash != current["hash"]:
            raise SlackApiRefusal("hash_conflict")
        view_id = current["id"] if current is not None else self._new_view_id()
        self.home_views[user_id] = self._stored_view(view, view_id, None)
        return {"view": self.home_views[user_id]}

    def _need_scope(self, scope: str) -> None:
        if scope not in _csv(self.scopes):
            raise SlackApiRefusal("missing_scope", needed=scope, provided=self.scopes)

    def _files_get_upload_url_external(self, params: JsonDict) -> JsonDict:
        self._need_scope("files:write")
        filename = str(params.get("filename") or "")
        try:
            length = int(params.get("length") or 0)
        except (TypeError, ValueError):
            raise SlackApiRefusal("invalid_arguments") from None
        if not filename or length <= 0:
            raise SlackApiRefusal("missing_argument")
        if length > _MAX_FILE_BYTES:
            raise SlackApiRefusal("file_upload_size_restricted")
        file_id = f"F{next(self._ids):010d}"
        self._pending_files[file_id] = _PendingFile(file_id, filename, length)
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, params: JsonDict) -> JsonDict:
        """Share uploaded files in one conversation (or none); a file never uploaded, or
        already completed, is not found."""
        self._need_scope("files:write")
        raw = params.get("files")
        try:
            entries = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError:
            raise SlackApiRefusal("invalid_arguments") from None
        if not isinstance(entries, list) or not entries:
            raise SlackApiRefusal("invalid_arguments")
        targets = [c for c in _csv(params.get("channels")) if c.strip()]
        if params.get("channel_id"):
            targets.insert(0, str(params["channel_id"]))
        if len(targets) > 1:
            raise SlackApiRefusal("invalid_arguments")
        channel = self._resolve_channel(targets[0], for_post=True) if targets else None
        titles: dict[str, str | None] = {}
        for entry in entries:
            file_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
            if file_id not in self._pending_files or file_id not in self.uploads:
                raise SlackApiRefusal("file_not_found")
            titles[file_id] = _str_or_none(entry.get("title"))
        shared = [
            SharedFile(file_id, self._pending_files.pop(file_id).name, title, self.uploads[file_id])
            for file_id, title in titles.items()
        ]
        self.file_shares.append(
            FileShare(
                channel,
                _str_or_none(params.get("initial_comment")),
                _str_or_none(params.get("thread_ts")),
                tuple(shared),
                params,
            )
        )
        return {
            "files": [
                {
                    "id": f.id,
                    "name": f.name,
                    "title": f.title or f.name,
                    "size": len(f.content),
                    "channels": [channel] if channel else [],
                }
                for f in shared
            ]
        }

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        """An upload URL: the bytes, raw or as a multipart form's file, kept for the file id."""
        file_id = request.match_info["file_id"]
        if self._upload_faults:
            status = self._upload_faults.popleft()
            await request.read()
            return web.Response(status=status, text="upload failed")
        if file_id not in self._pending_files:
            return web.Response(status=404, text="file_not_found")
        if request.content_type == "multipart/form-data":
            form = await request.post()
            parts = [v for v in form.values() if isinstance(v, web.FileField)]
            content = parts[0].file.read() if parts else b""
        else:
            content = await request.read()
        self.uploads[file_id] = content
        await self._notify()
        return web.Response(text=f"OK - {len(content)}")

    def _apps_connections_open(self) -> JsonDict:
        ticket = secrets.token_hex(8)
        self._tickets.add(ticket)
        return {"url": f"{self.socket_url}?ticket={ticket}&app_id={self.app_id}"}


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        token = authorization.removeprefix("Bearer ").strip()
        return token or None
    return None


def _basic_auth(authorization: str | None) -> dict[str, str]:
    """client_id and client_secret from an HTTP Basic Authorization header (none: {})."""
    if not authorization or not authorization.startswith("Basic "):
        return {}
    decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    client_id, _, client_secret = decoded.partition(":")
    return {"client_id": client_id, "client_secret": client_secret}


def _drop_connection(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _csv(value: object) -> Iterable[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part for part in str(value).split(",") if part.strip()]


def _blocks(params: JsonDict) -> list[Any] | None:
    blocks = params.get("blocks")
    return blocks if isinstance(blocks, list) else None

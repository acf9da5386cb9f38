"""A fake Discord on 127.0.0.1 for the Discord adapter's tests: REST API, webhooks, gateway.

`FakeDiscord` serves, on a free port of 127.0.0.1 and with no network, what discord.py 2.7.1
talks to. Point discord.py at it with `pointed_at(fake)`, which sets the two class attributes
discord.py reads (`discord.http.Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`) and restores
them afterwards; `running(client)` logs a client in, connects it and waits until it is ready.

- REST under `/api/v10` (`rest_base`): login (`GET /users/@me`, `GET /oauth2/applications/@me`),
  `GET /gateway[/bot]`, DM channels, channel messages (nonce de-duplication with
  `enforce_nonce`), users, members, command registration, interaction callbacks (the 3 s
  deadline and the single initial response enforced), followups and `@original` edits.
  Multipart uploads are read whole: their files are kept with their bytes (`Upload`) on the
  call, the callback and the message they came with; more than 10 files is refused (50035),
  and so are files adding up to more than `attachment_size_limit` (413, 40005), the limit
  every interaction carries.
  Errors are Discord-shaped (`{"code", "message"}`) with Discord's statuses; `fail_next`
  queues faults per route (429 with what discord.py needs to retry at once).
- The gateway (`gateway_url`): HELLO, IDENTIFY (token, intents, shard checked), READY,
  GUILD_CREATE per guild of the shard (members only with the GUILD_MEMBERS intent, as Discord),
  heartbeat ACKs, member chunk requests, RESUME (missed events replayed) and the test's
  `send_command` / `send_component` / `send_modal_submit` / `send_autocomplete` (built with
  `discord_payloads`), or `send_interaction(payload)` for a hand-made one.
- The registry: `add_guild`, `add_role`, `add_channel`, `add_member` (permissions come through
  roles; owners and administrators have all), `add_user`, `close_dms`.

Everything is recorded (`calls`, `messages`, `callbacks`, `followups`, `edits`, `commands`,
`sessions`) and awaited with `wait_for_*` (asyncio.Condition; an AssertionError listing what
did arrive on timeout). Interaction deadlines use the fake's own clock: `now()`, moved on by
`advance(seconds)` without sleeping.

Route names (for `fail_next`, `calls_to`, `wait_for`) follow discord.py's HTTP methods: see
`ROUTE_NAMES`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import re
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final

import discord
import yarl
from aiohttp import WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route
from multidict import CIMultiDict, CIMultiDictProxy

from tests.support import discord_payloads as p

JsonDict = dict[str, Any]

APPLICATION_ID: Final = "1200000000000000001"
"""The application's id, which is also the bot user's id (as for every app made since 2020)."""
BOT_USERNAME: Final = "circles"
OWNER_ID: Final = "1200000000000000002"
INITIAL_RESPONSE_DEADLINE: Final = 3.0
"""Seconds Discord waits for an interaction's initial response (then 10062)."""
TOKEN_LIFETIME: Final = 15 * 60.0
"""Seconds an interaction token stays valid for followups and edits (then 50027)."""
NONCE_WINDOW: Final = 5 * 60.0
"""How long a message nonce is remembered with `enforce_nonce` (Discord: "a few minutes")."""
MAX_CONTENT: Final = 2000
MAX_EMBEDS: Final = 10
MAX_NONCE: Final = 25
MAX_COMMANDS: Final = 100
MAX_OPTIONS: Final = 25
MAX_FILES: Final = 10
"""Attachments one message may carry."""
MAX_REQUEST_BYTES: Final = 64 * 1024 * 1024
"""What the fake's server reads of one request (aiohttp's default, 1 MiB, is below Discord's)."""
DEFAULT_RETRY_AFTER: Final = 0.05
_COMMAND_NAME = re.compile(r"^[-_'\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")
_ALLOWED_CALLBACKS: Final[Mapping[int, frozenset[int]]] = {
    p.PING: frozenset({p.PONG}),
    p.APPLICATION_COMMAND: frozenset(
        {p.CHANNEL_MESSAGE_WITH_SOURCE, p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, p.MODAL}
    ),
    p.MESSAGE_COMPONENT: frozenset(
        {
            p.CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_UPDATE_MESSAGE,
            p.UPDATE_MESSAGE,
            p.MODAL,
        }
    ),
    p.APPLICATION_COMMAND_AUTOCOMPLETE: frozenset({p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT}),
    p.MODAL_SUBMIT: frozenset(
        {
            p.CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_UPDATE_MESSAGE,
            p.UPDATE_MESSAGE,
        }
    ),
}


@dataclass(frozen=True)
class Upload:
    """A file of a multipart upload, as it arrived."""

    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Call:
    """One REST request as the fake read it, and what it answered."""

    method: str
    path: str
    """Below the API base, e.g. "/channels/10/messages"."""
    route: str
    """The route's name (see `ROUTE_NAMES`); "unknown" for a path the fake does not serve."""
    json: Any
    """The JSON body (for multipart: the decoded `payload_json`); None without a body."""
    query: Mapping[str, str]
    headers: CIMultiDictProxy[str]
    files: tuple[str, ...]
    """File names of a multipart upload."""
    status: int
    answer: Any
    """The JSON answered; None for 204."""
    uploads: tuple[Upload, ...] = ()
    """The files of a multipart upload, with their bytes."""

    @property
    def error_code(self) -> int | None:
        """Discord's JSON error code for a refusal (0 for a plain 429/401), None when ok."""
        if self.status < 400 or not isinstance(self.answer, dict):
            return None
        return int(self.answer.get("code", 0))


@dataclass(frozen=True)
class SentMessage:
    """A message the bot created: in a channel (`messages`) or as an interaction followup."""

    id: str
    channel_id: str
    content: str | None
    embeds: list[JsonDict]
    components: list[JsonDict]
    allowed_mentions: JsonDict | None
    nonce: str | None
    enforce_nonce: bool
    flags: int
    body: JsonDict
    """The request body as sent."""
    payload: JsonDict
    """The message object the fake answered."""
    interaction_id: str | None = None
    files: tuple[Upload, ...] = ()
    """The files attached, with their bytes."""

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & p.EPHEMERAL)


@dataclass(frozen=True)
class Callback:
    """One attempt at an interaction's initial response, accepted or refused."""

    interaction_id: str
    type: int
    data: JsonDict | None
    at: float
    """The fake's clock when it arrived."""
    status: int
    error_code: int | None
    """40060 (second response), 10062 (too late or unknown), 50035, 50006... None if accepted."""
    body: JsonDict
    with_response: bool
    files: tuple[Upload, ...] = ()
    """The files attached to the response, with their bytes."""

    @property
    def accepted(self) -> bool:
        return self.status < 300

    @property
    def flags(self) -> int:
        return int((self.data or {}).get("flags", 0) or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & p.EPHEMERAL)

    @property
    def content(self) -> str | None:
        content = (self.data or {}).get("content")
        return None if content is None else str(content)


@dataclass(frozen=True)
class Edit:
    """A PATCH of a message: a channel message, an interaction's `@original` or a followup."""

    message_id: str
    channel_id: str
    interaction_id: str | None
    body: JsonDict
    at: float


@dataclass(frozen=True)
class SentInteraction:
    """An INTERACTION_CREATE the fake dispatched."""

    id: str
    token: str
    type: int
    payload: JsonDict
    sent_at: float
    """The fake's clock at dispatch: the 3 s deadline runs from here."""


@dataclass
class GatewaySession:
    """A gateway session (it outlives a connection: RESUME reattaches it)."""

    session_id: str
    shard: tuple[int, int]
    intents: int
    identify: JsonDict
    """The IDENTIFY `d` as sent (token included)."""
    seq: int = 0
    ready: bool = False
    """READY and the GUILD_CREATEs have been sent."""
    resumes: int = 0
    heartbeats: int = 0
    presence: JsonDict | None = None
    events: list[JsonDict] = field(default_factory=list)
    """Every dispatch frame sent in this session, in order (replayed after a RESUME)."""
    ws: web.WebSocketResponse | None = field(default=None, repr=False)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed

    def dispatched(self, event: str) -> list[JsonDict]:
        """The `d` of every dispatch of `event` in this session."""
        return [frame["d"] for frame in self.events if frame["t"] == event]


class DiscordError(Exception):
    """A refusal: answered with `status` and the Discord-shaped `body`."""

    def __init__(self, status: int, body: JsonDict, headers: Mapping[str, str] | None = None):
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class _Fault:
    status: int
    code: int
    message: str | None
    retry_after: float | None
    is_global: bool


@dataclass
class _User:
    id: str
    name: str
    bot: bool

    def payload(self) -> JsonDict:
        return p.user(self.id, self.name, bot=self.bot)


@dataclass
class _Member:
    user_id: str
    roles: list[str]
    joined_at: str
    nick: str | None = None


@dataclass
class _Role:
    id: str
    name: str
    permissions: int
    position: int
    bot_id: str | None = None


@dataclass
class _Channel:
    id: str
    name: str
    guild_id: str | None
    recipient_id: str | None = None
    position: int = 0


@dataclass
class _Guild:
    id: str
    name: str
    owner_id: str
    locale: str
    joined_at: str
    roles: dict[str, _Role] = field(default_factory=dict)
    channels: dict[str, _Channel] = field(default_factory=dict)
    members: dict[str, _Member] = field(default_factory=dict)
    bot_role_id: str = ""


@dataclass
class _Interaction:
    sent: SentInteraction
    user_id: str
    channel_id: str
    guild_id: str | None
    command_name: str | None
    message_id: str | None
    """The message a component (or a modal opened from one) sat on."""
    response_type: int | None = None
    original_id: str | None = None
    loading: bool = False
    followup_ids: list[str] = field(default_factory=list)


@dataclass
class _Request:
    method: str
    path: str
    match: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    files: tuple[str, ...]
    headers: CIMultiDictProxy[str]
    uploads: tuple[Upload, ...] = ()


_Handler = Callable[["FakeDiscord", _Request], Any]


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    name: str
    authed: bool


def _route(method: str, pattern: str, name: str, *, authed: bool = True) -> _Route:
    return _Route(method, re.compile(f"^{pattern}$"), name, authed)


_APP = r"/applications/(?P<application_id>\d+)"
_GUILD_COMMANDS = _APP + r"/guilds/(?P<guild_id>\d+)/commands"
_WEBHOOK = r"/webhooks/(?P<application_id>\d+)/(?P<token>[^/]+)"
_WEBHOOK_MESSAGE = _WEBHOOK + r"/messages/(?P<message_id>@original|\d+)"
_ROUTES: Final = (
    _route("GET", r"/users/@me", "get_current_user"),
    _route("GET", r"/users/(?P<user_id>\d+)", "get_user"),
    _route("GET", r"/oauth2/applications/@me", "application_info"),
    _route("GET", r"/gateway", "get_gateway", authed=False),
    _route("GET", r"/gateway/bot", "get_bot_gateway"),
    _route("POST", r"/users/@me/channels", "start_private_message"),
    _route("GET", r"/channels/(?P<channel_id>\d+)", "get_channel"),
    _route("POST", r"/channels/(?P<channel_id>\d+)/messages", "send_message"),
    _route("PATCH", r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)", "edit_message"),
    _route("GET", r"/guilds/(?P<guild_id>\d+)/members/(?P<user_id>\d+)", "get_member"),
    _route("GET", _APP + r"/commands", "get_global_commands"),
    _route("PUT", _APP + r"/commands", "bulk_upsert_global_commands"),
    _route("POST", _APP + r"/commands", "upsert_global_command"),
    _route("GET", _GUILD_COMMANDS, "get_guild_commands"),
    _route("PUT", _GUILD_COMMANDS, "bulk_upsert_guild_commands"),
    _route("POST", _GUILD_COMMANDS, "upsert_guild_command"),
    _route(
        "POST",
        r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback",
        "create_interaction_response",
        authed=False,
    ),
    _route("POST", _WEBHOOK, "execute_webhook", authed=False),
    _route("GET", _WEBHOOK_MESSAGE, "get_webhook_message", authed=False),
    _route("PATCH", _WEBHOOK_MESSAGE, "edit_webhook_message", authed=False),
    _route("DELETE", _WEBHOOK_MESSAGE, "delete_webhook_message", authed=False),
)
ROUTE_NAMES: Final = frozenset(r.name for r in _ROUTES)
"""Names of the routes served, as discord.py's HTTPClient / webhook adapter methods call them
(`execute_webhook` is a followup, `edit_webhook_message` an `@original` or followup edit)."""


class FakeDiscord:
    """A fake Discord served on 127.0.0.1. Use as `async with FakeDiscord() as fake:`."""

    def __init__(
        self,
        *,
        application_id: str | int = APPLICATION_ID,
        bot_username: str = BOT_USERNAME,
        token: str | None = None,
        shard_count: int = 1,
        privileged_intents: int = p.PRIVILEGED_INTENTS,
        heartbeat_interval_ms: int = p.HEARTBEAT_INTERVAL_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`token`: the bot token accepted (None: any non-empty one). `privileged_intents`:
        those enabled in the (imaginary) developer portal; asking for others closes the
        gateway with 4014 (discord.py raises PrivilegedIntentsRequired)."""
        self.application_id = str(application_id)
        self.bot_user_id = self.application_id
        self.bot_username = bot_username
        self.token = token
        self.shard_count = shard_count
        self.privileged_intents = privileged_intents
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.attachment_size_limit = p.ATTACHMENT_SIZE_LIMIT
        """Bytes of files one response or message may carry; every interaction says it."""
        self._clock = clock
        self._offset = 0.0

        self.calls: list[Call] = []
        self.messages: dict[str, list[SentMessage]] = {}
        """Messages created with `POST /channels/{id}/messages`, by channel id."""
        self.callbacks: dict[str, list[Callback]] = {}
        """Every initial-response attempt, by interaction id, refused ones included."""
        self.followups: dict[str, list[SentMessage]] = {}
        """Followup messages by interaction id."""
        self.edits: list[Edit] = []
        self.commands: dict[str | None, list[JsonDict]] = {}
        """Registered commands as Discord stores them: key None for global, else a guild id."""
        self.interactions: dict[str, SentInteraction] = {}
        self.sessions: list[GatewaySession] = []
        self.gateway_connections = 0

        self._users: dict[str, _User] = {}
        self._guilds: dict[str, _Guild] = {}
        self._channels: dict[str, _Channel] = {}
        self._dm_by_user: dict[str, str] = {}
        self._closed_dms: set[str] = set()
        self._store: dict[str, JsonDict] = {}
        """Every message object by id (channel messages, originals, followups, users')."""
        self._nonces: dict[str, tuple[str, float]] = {}
        self._interactions: dict[str, _Interaction] = {}
        self._by_token: dict[str, str] = {}
        self._command_ids: dict[tuple[str | None, str, int], str] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self._users[self.bot_user_id] = _User(self.bot_user_id, bot_username, bot=True)
        self._users[OWNER_ID] = _User(OWNER_ID, "circles-owner", bot=False)

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
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
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/api/v{version:\\d+}/{tail:.*}", self._rest)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway-resume", self._gateway)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def close(self) -> None:
        """Close the gateway connections and stop serving. Close discord.py clients first:
        a client still running would try to reconnect."""
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"fake Discord is shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def rest_base(self) -> str:
        """For `discord.http.Route.BASE`."""
        return f"{self.base_url}/api/v{p.API_VERSION}"

    @property
    def gateway_url(self) -> yarl.URL:
        """For `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`."""
        return yarl.URL(self.base_url.replace("http://", "ws://", 1) + "/gateway")

    @property
    def resume_gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + "/gateway-resume"

    @property
    def bot_user(self) -> JsonDict:
        return self._users[self.bot_user_id].payload()

    # -- the fake's clock --------------------------------------------------------------------

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on: interactions' 3 s deadline and 15 min tokens expire."""
        self._offset += seconds

    # -- the registry ------------------------------------------------------------------------

    def add_guild(
        self,
        guild_id: str | int,
        name: str,
        owner_id: str | int,
        *,
        everyone_permissions: int = p.DEFAULT_EVERYONE_PERMISSIONS,
        bot_permissions: int = p.DEFAULT_BOT_PERMISSIONS,
        locale: str = "en-US",
    ) -> None:
        """A guild the bot is in: its @everyone role (id = guild id), the bot's managed role
        (`bot_permissions`) and the bot as a member. Add the owner with `add_member` to let
        them use commands."""
        gid = str(guild_id)
        guild = _Guild(gid, name, str(owner_id), locale, p.iso_timestamp())
        guild.roles[gid] = _Role(gid, "@everyone", everyone_permissions, 0)
        guild.bot_role_id = p.snowflake()
        guild.roles[guild.bot_role_id] = _Role(
            guild.bot_role_id, self.bot_username, bot_permissions, 1, bot_id=self.bot_user_id
        )
        guild.members[self.bot_user_id] = _Member(
            self.bot_user_id, [guild.bot_role_id], p.iso_timestamp()
        )
        self._guilds[gid] = guild

    def add_role(
        self, guild_id: str | int, role_id: str | int, name: str, permissions: int = 0
    ) -> None:
        guild = self._guild(guild_id)
        guild.roles[str(role_id)] = _Role(str(role_id), name, permissions, len(guild.roles))

    def add_channel(self, guild_id: str | int, channel_id: str | int, name: str) -> None:
        """A text channel of the guild, where @everyone's and the bot's permissions apply."""
        guild = self._guild(guild_id)
        channel = _Channel(str(channel_id), name, guild.id, position=len(guild.channels))
        guild.channels[channel.id] = channel
        self._channels[channel.id] = channel

    def add_user(self, user_id: str | int, name: str, *, bot: bool = False) -> JsonDict:
        """A Discord user (in no guild unless `add_member`); returns the user object."""
        user = self._users.setdefault(str(user_id), _User(str(user_id), name, bot))
        user.name, user.bot = name, bot
        return user.payload()

    def add_member(
        self,
        guild_id: str | int,
        user_id: str | int,
        name: str,
        *,
        roles: Iterable[str | int] = (),
        permissions: int = 0,
        bot: bool = False,
        nick: str | None = None,
    ) -> JsonDict:
        """A member of the guild with `roles` (added with `add_role`). Permissions only come
        through roles on Discord: non-zero `permissions` gives the member a role of their own
        named "<name> permissions" carrying them. Returns the member object (with `user`)."""
        guild = self._guild(guild_id)
        self.add_user(user_id, name, bot=bot)
        role_ids = [str(r) for r in roles]
        for role_id in role_ids:
            if role_id not in guild.roles:
                raise ValueError(f"unknown role {role_id} in guild {guild.id}: add_role first")
        if permissions:
            role_id = p.snowflake()
            guild.roles[role_id] = _Role(
                role_id, f"{name} permissions", permissions, len(guild.roles)
            )
            role_ids.append(role_id)
        guild.members[str(user_id)] = _Member(str(user_id), role_ids, p.iso_timestamp(), nick)
        return self._member_payload(guild, str(user_id))

    def close_dms(self, user_id: str | int) -> None:
        """The user allows no DMs from the bot: messages to their DM channel answer 403
        50007 (creating the channel still works, as on Discord)."""
        self._closed_dms.add(str(user_id))

    def open_dms(self, user_id: str | int) -> None:
        self._closed_dms.discard(str(user_id))

    def set_bot_permissions(self, guild_id: str | int, permissions: int) -> None:
        guild = self._guild(guild_id)
        guild.roles[guild.bot_role_id].permissions = permissions

    def dm_channel_id(self, user_id: str | int) -> str:
        """The id of the bot's DM channel with the user (made on first use, then stable)."""
        uid = str(user_id)
        if uid not in self._dm_by_user:
            channel = _Channel(p.snowflake(), "", None, recipient_id=uid)
            self._channels[channel.id] = channel
            self._dm_by_user[uid] = channel.id
        return self._dm_by_user[uid]

    def permissions_of(self, guild_id: str | int, user_id: str | int) -> int:
        """The member's permissions as Discord computes them (no channel overwrites here):
        the owner and administrators have all, others the union of @everyone and their roles."""
        guild = self._guild(guild_id)
        uid = str(user_id)
        if uid == guild.owner_id:
            return p.ALL_PERMISSIONS
        member = guild.members.get(uid)
        permissions = guild.roles[guild.id].permissions
        for role_id in member.roles if member is not None else []:
            permissions |= guild.roles[role_id].permissions
        return p.ALL_PERMISSIONS if permissions & p.ADMINISTRATOR else permissions

    def message(self, message_id: str | int) -> JsonDict:
        """The current state of a message the fake knows (after edits)."""
        return self._store[str(message_id)]

    def original(self, interaction_id: str | int) -> JsonDict | None:
        """The message an interaction's `@original` is (its response, after edits)."""
        state = self._interactions.get(str(interaction_id))
        if state is None or state.original_id is None:
            return None
        return self._store.get(state.original_id)

    # -- recorded calls ----------------------------------------------------------------------

    def calls_to(self, route: str) -> list[Call]:
        self._check_route(route)
        return [call for call in self.calls if call.route == route]

    async def wait_for(
        self,
        route: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        """`calls_to(route)` once at least `count` arrived (answered or refused)."""
        self._check_route(route)
        await self._wait(
            lambda: len(self.calls_to(route)) >= count,
            lambda: f"{count} call(s) to {route}",
            timeout,
        )
        return self.calls_to(route)

    async def wait_for_callback(
        self,
        interaction_id: str | int,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        count: int = 1,
    ) -> Callback:
        """The `count`-th initial-response attempt for the interaction (accepted or refused)."""
        iid = str(interaction_id)
        await self._wait(
            lambda: len(self.callbacks.get(iid, [])) >= count,
            lambda: f"{count} callback(s) for interaction {iid}",
            timeout,
        )
        return self.callbacks[iid][count - 1]

    async def wait_for_message(
        self,
        channel_id: str | int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """The channel's messages once at least `count` were created."""
        cid = str(channel_id)
        await self._wait(
            lambda: len(self.messages.get(cid, [])) >= count,
            lambda: f"{count} message(s) in channel {cid}",
            timeout,
        )
        return list(self.messages[cid])

    async def wait_for_dm(
        self,
        user_id: str | int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """The messages in the bot's DM channel with the user once `count` were created."""
        return await self.wait_for_message(self.dm_channel_id(user_id), count, timeout)

    async def wait_for_followup(
        self,
        interaction_id: str | int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        iid = str(interaction_id)
        await self._wait(
            lambda: len(self.followups.get(iid, [])) >= count,
            lambda: f"{count} followup(s) for interaction {iid}",
            timeout,
        )
        return list(self.followups[iid])

    async def wait_for_ready(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        count: int = 1,
    ) -> GatewaySession:
        """The newest session once `count` sessions got READY and their GUILD_CREATEs. (The
        discord.py client is ready a `guild_ready_timeout` later: await
        `client.wait_until_ready()` for that.)"""
        await self._wait(
            lambda: sum(s.ready for s in self.sessions) >= count,
            lambda: f"{count} ready gateway session(s)",
            timeout,
        )
        return [s for s in self.sessions if s.ready][-1]

    async def _wait(
        self,
        predicate: Callable[[], bool],
        wanted: Callable[[], str],
        timeout: float,  # noqa: ASYNC109
    ) -> None:
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            raise AssertionError(
                f"expected {wanted()} within {timeout} s; what arrived: {self.summary()}"
            ) from None

    def summary(self) -> str:
        """What happened so far, for failure messages."""
        calls = ", ".join(
            f"{c.method} {c.path} -> {c.status}"
            + (f" ({c.error_code})" if c.error_code is not None else "")
            for c in self.calls
        )
        callbacks = {
            iid: [(c.type, c.status, c.error_code) for c in attempts]
            for iid, attempts in self.callbacks.items()
        }
        messages = {cid: [m.content for m in ms] for cid, ms in self.messages.items()}
        followups = {iid: [m.content for m in ms] for iid, ms in self.followups.items()}
        sessions = [
            f"{s.session_id[:8]} shard={list(s.shard)} ready={s.ready} "
            f"connected={s.connected} events={[f['t'] for f in s.events]}"
            for s in self.sessions
        ]
        return (
            f"calls: [{calls or 'none'}]; callbacks: {callbacks}; messages: {messages}; "
            f"followups: {followups}; sessions: {sessions or 'none'}"
        )

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- faults ------------------------------------------------------------------------------

    def fail_next(
        self,
        route: str,
        status: int,
        code: int = 0,
        *,
        retry_after: float | None = None,
        message: str | None = None,
        times: int = 1,
        is_global: bool = False,
    ) -> None:
        """The next `times` calls to `route` answer `status` with `{"code": code, "message":
        ...}` and do nothing. A 429 answers Discord's rate-limit body (`retry_after`, default
        0.05 s, in the body, which is what discord.py sleeps on) with the `Retry-After`,
        `X-RateLimit-*` and `Via` headers (without `Via` discord.py takes a 429 for a Cloudflare
        ban and raises instead of retrying); discord.py then retries by itself. Beware that
        discord.py also retries 500, 502, 504 and 524, after sleeping 1 s, 3 s, ..."""
        self._check_route(route)
        if status == 429 and retry_after is None:
            retry_after = DEFAULT_RETRY_AFTER
        for _ in range(times):
            self._faults.setdefault(route, deque()).append(
                _Fault(status, code, message, retry_after, is_global)
            )

    def _check_route(self, route: str) -> None:
        if route not in ROUTE_NAMES and route != "unknown":
            raise ValueError(f"no route named {route!r}; routes: {sorted(ROUTE_NAMES)}")

    def _fault_answer(self, fault: _Fault, route: str) -> DiscordError:
        if fault.status != 429:
            return DiscordError(fault.status, p.error_body(fault.code, fault.message))
        retry_after = fault.retry_after if fault.retry_after is not None else 0.0
        body = p.rate_limited_body(retry_after, is_global=fault.is_global, code=fault.code)
        if fault.message:
            body["message"] = fault.message
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": _bucket(route),
            "X-RateLimit-Scope": "global" if fault.is_global else "user",
            "Via": "1.1 google",
        }
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
        return DiscordError(429, body, headers)

    # -- interactions ------------------------------------------------------------------------

    async def send_command(
        self,
        name: str,
        user_id: str | int,
        *,
        options: Sequence[JsonDict] = (),
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """A slash command (type 2) by the user: `options` from `discord_payloads` (`option`,
        `user_option`, `subcommand`, `subcommand_group`...), with `resolved` filled from the
        registry. In the guild (the only one registered unless `guild_id`) and its first
        channel unless `channel_id`; or in the user's DM with the bot (`in_dm`). The command's
        id and guild come from what the bot registered (a command never registered is sent as
        a global one)."""
        return await self._send_command(
            p.APPLICATION_COMMAND, name, user_id, options, guild_id, channel_id, in_dm, locale
        )

    async def send_autocomplete(
        self,
        name: str,
        user_id: str | int,
        *,
        options: Sequence[JsonDict],
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """An autocomplete request (type 4): one leaf option marked with `focused(...)`."""
        if not any(o.get("focused") for o in p.walk_options(options)):
            raise ValueError("an autocomplete interaction needs one focused(...) option")
        return await self._send_command(
            p.APPLICATION_COMMAND_AUTOCOMPLETE,
            name,
            user_id,
            options,
            guild_id,
            channel_id,
            in_dm,
            locale,
        )

    async def _send_command(
        self,
        interaction_type: int,
        name: str,
        user_id: str | int,
        options: Sequence[JsonDict],
        guild_id: str | int | None,
        channel_id: str | int | None,
        in_dm: bool,
        locale: str,
    ) -> SentInteraction:
        where = self._where(user_id, guild_id, channel_id, in_dm)
        command_id, command_guild = self._command_for(name, where.guild_id)
        data = p.command_data(
            command_id,
            name,
            options=options,
            resolved=self._resolved(options, where.guild_id, str(user_id)),
            guild_id=command_guild,
        )
        payload = self._interaction_payload(interaction_type, data, where, locale=locale)
        return await self._deliver(payload, where, command_name=name, message_id=None)

    async def send_component(
        self,
        custom_id: str,
        user_id: str | int,
        *,
        message_id: str | int | None = None,
        component_type: int = p.BUTTON,
        values: Sequence[str] | None = None,
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """A click on a button (or a choice in a select, with `values`) by the user. The
        message is `message_id`, else the newest message the bot sent with that custom_id,
        else (a message from before the fake started, as after a restart) one made up in the
        channel with just that component."""
        message = self._component_message(custom_id, message_id, component_type)
        if message is not None:
            channel = self._channels.get(str(message["channel_id"]))
            if channel is not None and channel_id is None:
                channel_id = channel.id
                in_dm = channel.guild_id is None
                guild_id = channel.guild_id
        where = self._where(user_id, guild_id, channel_id, in_dm)
        if message is None:
            message = self._made_up_message(where, custom_id, component_type)
        data = p.component_data(custom_id, component_type, values=values)
        payload = self._interaction_payload(
            p.MESSAGE_COMPONENT, data, where, locale=locale, message_payload=message
        )
        return await self._deliver(payload, where, command_name=None, message_id=message["id"])

    async def send_modal_submit(
        self,
        custom_id: str,
        user_id: str | int,
        values: Mapping[str, str | Sequence[str]],
        *,
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """The user submits the modal `custom_id` with `values` by input custom_id. When the
        bot opened that modal (a type 9 callback), the submission mirrors its layout (action
        rows or labels) in the channel where it was opened, and refuses unknown inputs and
        missing required ones (Discord's client would not submit them); otherwise text inputs
        in action rows."""
        opened = self._opened_modal(custom_id)
        message_payload: JsonDict | None = None
        if opened is None:
            components = [
                p.action_row(
                    p.text_input_value(k, str(v), component_id=2 * i + 2), component_id=2 * i + 1
                )
                for i, (k, v) in enumerate(values.items())
            ]
        else:
            modal, opener = opened
            components = _modal_submission(modal, values)
            if channel_id is None and guild_id is None and not in_dm:
                channel_id = opener.channel_id
                guild_id = opener.guild_id
                in_dm = opener.guild_id is None
            if opener.sent.type == p.MESSAGE_COMPONENT and opener.message_id in self._store:
                message_payload = self._store[opener.message_id]
        where = self._where(user_id, guild_id, channel_id, in_dm)
        data = p.modal_submit_data(custom_id, components)
        payload = self._interaction_payload(
            p.MODAL_SUBMIT, data, where, locale=locale, message_payload=message_payload
        )
        message_id = None if message_payload is None else str(message_payload["id"])
        return await self._deliver(payload, where, command_name=None, message_id=message_id)

    async def send_interaction(
        self,
        payload: JsonDict,
        *,
        user_id: str | int | None = None,
        message_id: str | int | None = None,
    ) -> SentInteraction:
        """Dispatch a hand-made INTERACTION_CREATE body (see `discord_payloads.interaction`);
        the fake then enforces its callbacks like the others'."""
        guild_id = payload.get("guild_id")
        invoker = payload["member"]["user"] if guild_id else payload.get("user", {})
        where = _Where(
            guild_id=None if guild_id is None else str(guild_id),
            channel_id=str(payload["channel"]["id"]),
            user_id=str(user_id or invoker.get("id", "")),
            channel_payload=payload["channel"],
            member_payload=payload.get("member"),
            invoker=invoker,
            app_permissions=int(payload.get("app_permissions", 0)),
        )
        data = payload.get("data") or {}
        name = data.get("name") if payload["type"] in (2, 4) else None
        mid = None if message_id is None else str(message_id)
        if mid is None and "message" in payload:
            mid = str(payload["message"]["id"])
        return await self._deliver(payload, where, command_name=name, message_id=mid)

    async def redeliver(self, interaction_id: str | int) -> SentInteraction:
        """Dispatch an interaction again, same id and token (as when two handlers or two
        processes each get it): Discord still accepts only one initial response, within 3 s of
        the first delivery."""
        state = self._interactions[str(interaction_id)]
        await self._dispatch_to_guild(state.guild_id, "INTERACTION_CREATE", state.sent.payload)
        return state.sent

    async def _deliver(
        self,
        payload: JsonDict,
        where: _Where,
        *,
        command_name: str | None,
        message_id: str | None,
    ) -> SentInteraction:
        sent = SentInteraction(
            str(payload["id"]), str(payload["token"]), int(payload["type"]), payload, self.now()
        )
        self.interactions[sent.id] = sent
        self._interactions[sent.id] = _Interaction(
            sent, where.user_id, where.channel_id, where.guild_id, command_name, message_id
        )
        self._by_token[sent.token] = sent.id
        await self._dispatch_to_guild(where.guild_id, "INTERACTION_CREATE", payload)
        return sent

    def _interaction_payload(
        self,
        interaction_type: int,
        data: JsonDict,
        where: _Where,
        *,
        locale: str,
        message_payload: JsonDict | None = None,
    ) -> JsonDict:
        guild = self._guilds.get(where.guild_id) if where.guild_id else None
        payload = p.interaction(
            interaction_type,
            data,
            interaction_id=p.snowflake(),
            token=_interaction_token(),
            application_id=self.application_id,
            channel=where.channel_payload,
            invoker=where.invoker,
            guild_id=where.guild_id,
            member_payload=where.member_payload,
            app_permissions=where.app_permissions,
            locale=locale,
            guild_locale=guild.locale if guild is not None else "en-US",
            message_payload=message_payload,
        )
        payload["attachment_size_limit"] = self.attachment_size_limit
        return payload

    def _where(
        self,
        user_id: str | int,
        guild_id: str | int | None,
        channel_id: str | int | None,
        in_dm: bool,
    ) -> _Where:
        uid = str(user_id)
        user = self._users.get(uid)
        if user is None:
            raise ValueError(f"unknown user {uid}: add_member or add_user first")
        if in_dm:
            cid = self.dm_channel_id(uid)
            return _Where(
                None,
                cid,
                uid,
                p.dm_channel(cid, user.payload()),
                None,
                user.payload(),
                p.DEFAULT_BOT_PERMISSIONS | p.ATTACH_FILES,
            )
        if channel_id is not None and guild_id is None:
            known = self._channels.get(str(channel_id))
            if known is not None and known.guild_id is None:
                return self._where(user_id, None, None, True)
            if known is not None:
                guild_id = known.guild_id
        guild = self._default_guild(guild_id)
        if uid not in guild.members:
            raise ValueError(f"user {uid} is not a member of guild {guild.id}: add_member first")
        if channel_id is None:
            if not guild.channels:
                raise ValueError(f"guild {guild.id} has no channel: add_channel first")
            channel = next(iter(guild.channels.values()))
        else:
            found = guild.channels.get(str(channel_id))
            if found is None:
                raise ValueError(f"no channel {channel_id} in guild {guild.id}")
            channel = found
        permissions = self.permissions_of(guild.id, uid)
        return _Where(
            guild.id,
            channel.id,
            uid,
            p.text_channel(
                channel.id,
                channel.name,
                guild.id,
                position=channel.position,
                permissions=permissions,
            ),
            self._member_payload(guild, uid, permissions=permissions),
            user.payload(),
            self.permissions_of(guild.id, self.bot_user_id),
        )

    def _default_guild(self, guild_id: str | int | None) -> _Guild:
        if guild_id is not None:
            return self._guild(guild_id)
        if len(self._guilds) != 1:
            raise ValueError(
                f"say which guild: {len(self._guilds)} registered ({sorted(self._guilds)})"
            )
        return next(iter(self._guilds.values()))

    def _command_for(self, name: str, guild_id: str | None) -> tuple[str, str | None]:
        scopes: list[str | None] = [guild_id, None] if guild_id else [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return str(command["id"]), scope
        key = (None, name, 1)
        if key not in self._command_ids:
            self._command_ids[key] = p.snowflake()
        return self._command_ids[key], None

    def _resolved(
        self, options: Sequence[JsonDict], guild_id: str | None, invoker_id: str
    ) -> JsonDict:
        resolved: JsonDict = {}
        guild = self._guilds.get(guild_id) if guild_id else None
        for leaf in p.walk_options(options):
            value = str(leaf.get("value", ""))
            if leaf.get("focused"):
                continue
            if leaf["type"] in (p.USER, p.MENTIONABLE) and value in self._users:
                resolved.setdefault("users", {})[value] = self._users[value].payload()
                if guild is not None and value in guild.members:
                    member = self._member_payload(
                        guild, value, permissions=self.permissions_of(guild.id, value)
                    )
                    member.pop("user")
                    resolved.setdefault("members", {})[value] = member
            elif leaf["type"] in (p.ROLE, p.MENTIONABLE) and guild and value in guild.roles:
                resolved.setdefault("roles", {})[value] = self._role_payload(guild.roles[value])
            elif leaf["type"] == p.CHANNEL and value in self._channels:
                channel = self._channels[value]
                if channel.guild_id is not None:
                    permissions = self.permissions_of(channel.guild_id, invoker_id)
                    resolved.setdefault("channels", {})[value] = {
                        "id": value,
                        "name": channel.name,
                        "type": p.GUILD_TEXT,
                        "permissions": str(permissions),
                        "parent_id": None,
                        "last_message_id": None,
                        "position": channel.position,
                        "nsfw": False,
                        "flags": 0,
                        "rate_limit_per_user": 0,
                    }
        return resolved

    def _component_message(
        self, custom_id: str, message_id: str | int | None, component_type: int
    ) -> JsonDict | None:
        if message_id is not None:
            if str(message_id) not in self._store:
                raise ValueError(f"no message {message_id}")
            return self._store[str(message_id)]
        for message in reversed(self._store.values()):
            if message["author"]["id"] == self.bot_user_id and _has_component(
                message.get("components", []), custom_id
            ):
                return message
        return None

    def _made_up_message(self, where: _Where, custom_id: str, component_type: int) -> JsonDict:
        component: JsonDict = {"type": component_type, "custom_id": custom_id}
        if component_type == p.BUTTON:
            component.update(style=1, label=custom_id)
        else:
            component.update(options=[], placeholder=None)
        message = p.message(
            p.snowflake(time.time() - 3600),
            where.channel_id,
            self.bot_user,
            content="",
            components=[p.action_row(component)],
            guild_id=where.guild_id,
        )
        self._store[message["id"]] = message
        return message

    def _opened_modal(self, custom_id: str) -> tuple[JsonDict, _Interaction] | None:
        for iid, attempts in reversed(self.callbacks.items()):
            for callback in reversed(attempts):
                if (
                    callback.accepted
                    and callback.type == p.MODAL
                    and (callback.data or {}).get("custom_id") == custom_id
                ):
                    return callback.data or {}, self._interactions[iid]
        return None

    # -- gateway: connections, sessions, dispatch --------------------------------------------

    async def dispatch(self, event: str, data: Any, *, guild_id: str | int | None = None) -> None:
        """Send any dispatch event (e.g. GUILD_MEMBER_ADD) to the session of the guild's
        shard (shard 0 without a guild)."""
        await self._dispatch_to_guild(None if guild_id is None else str(guild_id), event, data)

    async def send_user_message(
        self, channel_id: str | int, user_id: str | int, content: str
    ) -> JsonDict:
        """A user writes in a channel (or the bot's DM: `dm_channel_id(user)`): MESSAGE_CREATE
        to sessions with the GUILD_MESSAGES / DIRECT_MESSAGES intent, content blanked in
        guilds without MESSAGE_CONTENT unless the bot is mentioned (as Discord does)."""
        channel = self._channels[str(channel_id)]
        author = self._users[str(user_id)].payload()
        message = p.message(
            p.snowflake(), channel.id, author, content=content, guild_id=channel.guild_id
        )
        self._store[message["id"]] = message
        await self._message_created(message, channel)
        return message

    async def disconnect(self, code: int = 4000) -> None:
        """Close every gateway connection with `code` (4000: discord.py resumes)."""
        for ws in list(self._sockets):
            await ws.close(code=code, message=b"fake disconnect")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT on every connected session (discord.py resumes)."""
        for session in self.sessions:
            if session.connected:
                await self._send(session, p.reconnect())

    def _session_for(self, guild_id: str | None) -> GatewaySession:
        shard_id = 0 if guild_id is None else (int(guild_id) >> 22) % self.shard_count
        candidates = [s for s in self.sessions if s.ready and s.shard[0] == shard_id]
        if not candidates:
            raise AssertionError(
                f"no ready gateway session for shard {shard_id} (guild {guild_id}); "
                f"what arrived: {self.summary()}"
            )
        return candidates[-1]

    async def _dispatch_to_guild(self, guild_id: str | None, event: str, data: Any) -> None:
        await self._dispatch(self._session_for(guild_id), event, data)

    async def _dispatch(self, session: GatewaySession, event: str, data: Any) -> None:
        session.seq += 1
        frame = p.dispatch(event, data, session.seq)
        session.events.append(frame)
        if session.connected:
            await self._send(session, frame)
        await self._notify()

    async def _send(self, session: GatewaySession, frame: JsonDict) -> None:
        ws = session.ws
        if ws is None or ws.closed:
            return
        async with session.lock:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_str(json.dumps(frame))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        self.gateway_connections += 1
        session: GatewaySession | None = None
        try:
            await ws.send_str(json.dumps(p.hello(self.heartbeat_interval_ms)))
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                message = json.loads(frame.data)
                op, data = message.get("op"), message.get("d")
                if op == p.OP_HEARTBEAT:
                    if session is not None:
                        session.heartbeats += 1
                    await ws.send_str(json.dumps(p.heartbeat_ack()))
                elif op == p.OP_IDENTIFY:
                    session = await self._identify(ws, data)
                elif op == p.OP_RESUME:
                    session = await self._resume(ws, data)
                elif op == p.OP_REQUEST_GUILD_MEMBERS and session is not None:
                    await self._member_chunks(session, data)
                elif op == p.OP_PRESENCE_UPDATE and session is not None:
                    session.presence = data
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
            await self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: JsonDict) -> GatewaySession | None:
        token = str(data.get("token", ""))
        if not self._token_ok(token):
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents", 0))
        if intents & p.PRIVILEGED_INTENTS & ~self.privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard_id, shard_count = (int(x) for x in data.get("shard", [0, 1]))
        if shard_id >= shard_count or shard_count != self.shard_count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        session = GatewaySession(secrets.token_hex(16), (shard_id, shard_count), intents, data)
        session.ws = ws
        self.sessions.append(session)
        guilds = [g for g in self._guilds.values() if _shard_of(g.id, shard_count) == shard_id]
        await self._dispatch(
            session,
            "READY",
            p.ready(
                self.bot_user,
                session_id=session.session_id,
                resume_gateway_url=self.resume_gateway_url,
                application_id=self.application_id,
                guild_ids=[g.id for g in guilds],
                shard=session.shard,
            ),
        )
        if intents & p.INTENT_GUILDS:
            for guild in guilds:
                await self._dispatch(session, "GUILD_CREATE", self._guild_create(guild, intents))
        session.ready = True
        await self._notify()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: JsonDict) -> GatewaySession | None:
        session = next((s for s in self.sessions if s.session_id == data.get("session_id")), None)
        if session is None or not self._token_ok(str(data.get("token", ""))):
            await ws.send_str(json.dumps(p.invalid_session(False)))
            return None
        session.ws = ws
        session.resumes += 1
        last_seen = int(data.get("seq") or 0)
        for frame in list(session.events):
            if frame["s"] > last_seen:
                await self._send(session, frame)
        await self._dispatch(session, "RESUMED", p.resumed())
        return session

    async def _member_chunks(self, session: GatewaySession, data: JsonDict) -> None:
        guild = self._guilds.get(str(data.get("guild_id")))
        if guild is None:
            return
        user_ids = data.get("user_ids")
        query = str(data.get("query") or "")
        limit = int(data.get("limit") or 0)
        members: list[JsonDict] = []
        not_found: list[str] = []
        if user_ids is not None:
            wanted = [str(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])]
            members = [self._member_payload(guild, u) for u in wanted if u in guild.members]
            not_found = [u for u in wanted if u not in guild.members]
        elif query or session.intents & p.INTENT_GUILD_MEMBERS:
            for uid in guild.members:
                if self._users[uid].name.lower().startswith(query.lower()):
                    members.append(self._member_payload(guild, uid))
            if limit:
                members = members[:limit]
        chunk = p.guild_members_chunk(
            guild.id, members, nonce=data.get("nonce"), not_found=not_found
        )
        await self._dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _message_created(self, message: JsonDict, channel: _Channel | None) -> None:
        if channel is None:
            return
        needed = p.INTENT_DIRECT_MESSAGES if channel.guild_id is None else p.INTENT_GUILD_MESSAGES
        mentioned = any(u.get("id") == self.bot_user_id for u in message.get("mentions", []))
        mentioned = mentioned or f"<@{self.bot_user_id}>" in str(message.get("content", ""))
        for session in self.sessions:
            if not session.ready or not session.intents & needed:
                continue
            if channel.guild_id is not None and (
                _shard_of(channel.guild_id, self.shard_count) != session.shard[0]
            ):
                continue
            data = dict(message)
            blank = (
                channel.guild_id is not None
                and message["author"]["id"] != self.bot_user_id
                and not session.intents & p.INTENT_MESSAGE_CONTENT
                and not mentioned
            )
            if blank:
                data.update(content="", embeds=[], attachments=[], components=[])
            await self._dispatch(session, "MESSAGE_CREATE", data)

    def _token_ok(self, token: str) -> bool:
        return bool(token) if self.token is None else token == self.token

    # -- REST: plumbing ----------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        query = {k: v for k, v in request.query.items()}
        body, uploads = await _read_body(request)
        files = tuple(upload.name for upload in uploads)
        route = next(
            (r for r in _ROUTES if r.method == request.method and r.pattern.match(path)), None
        )
        name = route.name if route is not None else "unknown"
        extra_headers: dict[str, str] = {}
        try:
            if route is None:
                raise DiscordError(404, {"message": "404: Not Found", "code": 0})
            match = route.pattern.match(path)
            assert match is not None
            if route.authed and not self._authorized(headers.get("Authorization")):
                raise DiscordError(401, {"message": "401: Unauthorized", "code": 0})
            faults = self._faults.get(route.name)
            if faults:
                raise self._fault_answer(faults.popleft(), route.name)
            req = _Request(
                request.method, path, match.groupdict(), query, body, files, headers, uploads
            )
            self._check_uploads(uploads)
            handler: _Handler = getattr(FakeDiscord, f"_do_{route.name}")
            status, answer = await handler(self, req)
            extra_headers = _ratelimit_headers(route.name)
        except DiscordError as refusal:
            status, answer, extra_headers = refusal.status, refusal.body, refusal.headers
        if name == "create_interaction_response":
            self._record_callback(path, query, body, status, answer, uploads)
        self.calls.append(
            Call(request.method, path, name, body, query, headers, files, status, answer, uploads)
        )
        await self._notify()
        if answer is None:
            return web.Response(status=status, headers=extra_headers)
        # Exactly "application/json": discord.py parses nothing else (json_response would add
        # "; charset=utf-8").
        return web.Response(
            body=json.dumps(answer).encode(),
            status=status,
            content_type="application/json",
            headers=extra_headers,
        )

    def _authorized(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Bot "):
            return False
        return self._token_ok(authorization.removeprefix("Bot ").strip())

    def _check_uploads(self, uploads: tuple[Upload, ...]) -> None:
        """Discord's refusals of a request's files: too many, or too many bytes together."""
        if len(uploads) > MAX_FILES:
            raise DiscordError(
                400,
                p.invalid_form_body(
                    {
                        "attachments": p.field_error(
                            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length."
                        )
                    }
                ),
            )
        if sum(len(upload.content) for upload in uploads) > self.attachment_size_limit:
            raise DiscordError(413, p.error_body(40005, "Request entity too large"))

    def _record_callback(
        self,
        path: str,
        query: Mapping[str, str],
        body: Any,
        status: int,
        answer: Any,
        uploads: tuple[Upload, ...],
    ) -> None:
        iid = path.split("/")[2]
        body = body if isinstance(body, dict) else {}
        error_code = int(answer.get("code", 0)) if status >= 400 and answer else None
        callback = Callback(
            iid,
            int(body.get("type", 0) or 0),
            body.get("data"),
            self.now(),
            status,
            error_code,
            body,
            _truthy(query.get("with_response")),
            uploads,
        )
        self.callbacks.setdefault(iid, []).append(callback)

    # -- REST: identity and gateway ----------------------------------------------------------

    async def _do_get_current_user(self, req: _Request) -> tuple[int, Any]:
        return 200, {**self.bot_user, "verified": True, "mfa_enabled": False, "email": None}

    async def _do_get_user(self, req: _Request) -> tuple[int, Any]:
        user = self._users.get(req.match["user_id"])
        if user is None:
            raise _error(404, 10013)
        return 200, user.payload()

    async def _do_application_info(self, req: _Request) -> tuple[int, Any]:
        owner = self._users[OWNER_ID].payload()
        return 200, p.application(self.application_id, self.bot_username, self.bot_user, owner)

    async def _do_get_gateway(self, req: _Request) -> tuple[int, Any]:
        return 200, {"url": str(self.gateway_url)}

    async def _do_get_bot_gateway(self, req: _Request) -> tuple[int, Any]:
        return 200, {
            "url": str(self.gateway_url),
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    # -- REST: users, channels, members, messages --------------------------------------------

    async def _do_start_private_message(self, req: _Request) -> tuple[int, Any]:
        body = _json_object(req.body)
        recipient = str(body.get("recipient_id", ""))
        if recipient not in self._users:
            raise _error(404, 10013)
        channel_id = self.dm_channel_id(recipient)
        return 200, p.dm_channel(channel_id, self._users[recipient].payload())

    async def _do_get_channel(self, req: _Request) -> tuple[int, Any]:
        channel = self._channels.get(req.match["channel_id"])
        if channel is None:
            raise _error(404, 10003)
        return 200, self._channel_payload(channel)

    async def _do_get_member(self, req: _Request) -> tuple[int, Any]:
        guild = self._guilds.get(req.match["guild_id"])
        if guild is None:
            raise _error(404, 10004)
        if req.match["user_id"] not in guild.members:
            raise _error(404, 10007)
        return 200, self._member_payload(guild, req.match["user_id"])

    async def _do_send_message(self, req: _Request) -> tuple[int, Any]:
        channel = self._channels.get(req.match["channel_id"])
        if channel is None:
            raise _error(404, 10003)
        self._check_can_send(channel)
        body = _json_object(req.body)
        _check_message_body(body, files=req.files, creating=True)
        nonce = body.get("nonce")
        enforce = bool(body.get("enforce_nonce")) and nonce is not None
        if enforce:
            earlier = self._nonces.get(str(nonce))
            if earlier is not None and self.now() - earlier[1] <= NONCE_WINDOW:
                return 200, self._store[earlier[0]]
        message = p.message(
            p.snowflake(),
            channel.id,
            self.bot_user,
            content=str(body.get("content") or ""),
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=int(body.get("flags") or 0),
            guild_id=channel.guild_id,
            nonce=nonce,
            attachments=_attachments(body, req.uploads),
        )
        self._store[message["id"]] = message
        if enforce:
            self._nonces[str(nonce)] = (message["id"], self.now())
        self.messages.setdefault(channel.id, []).append(_sent(message, body, req.uploads))
        await self._message_created(message, channel)
        return 200, message

    async def _do_edit_message(self, req: _Request) -> tuple[int, Any]:
        channel = self._channels.get(req.match["channel_id"])
        if channel is None:
            raise _error(404, 10003)
        message = self._store.get(req.match["message_id"])
        if message is None or message["channel_id"] != channel.id:
            raise _error(404, 10008)
        if message["author"]["id"] != self.bot_user_id:
            raise _error(403, 50005, "Cannot edit a message authored by another user")
        body = _json_object(req.body)
        _check_message_body(body, files=req.files, creating=False)
        _apply_edit(message, body, req.uploads)
        self.edits.append(Edit(message["id"], channel.id, None, body, self.now()))
        return 200, message

    def _check_can_send(self, channel: _Channel) -> None:
        if channel.guild_id is None:
            recipient = channel.recipient_id or ""
            user = self._users.get(recipient)
            if recipient in self._closed_dms or user is None or user.bot:
                raise _error(403, 50007)
            return
        permissions = self.permissions_of(channel.guild_id, self.bot_user_id)
        if not permissions & p.VIEW_CHANNEL:
            raise _error(403, 50001)
        if not permissions & p.SEND_MESSAGES:
            raise _error(403, 50013)

    # -- REST: application commands ----------------------------------------------------------

    def _command_scope(self, req: _Request) -> str | None:
        if req.match["application_id"] != self.application_id:
            raise _error(403, 50001)
        guild_id = req.match.get("guild_id")
        if guild_id is not None and guild_id not in self._guilds:
            raise _error(403, 50001)
        return guild_id

    async def _do_get_global_commands(self, req: _Request) -> tuple[int, Any]:
        return 200, self.commands.get(self._command_scope(req), [])

    async def _do_get_guild_commands(self, req: _Request) -> tuple[int, Any]:
        return 200, self.commands.get(self._command_scope(req), [])

    async def _do_bulk_upsert_global_commands(self, req: _Request) -> tuple[int, Any]:
        return 200, self._overwrite_commands(self._command_scope(req), req.body)

    async def _do_bulk_upsert_guild_commands(self, req: _Request) -> tuple[int, Any]:
        return 200, self._overwrite_commands(self._command_scope(req), req.body)

    async def _do_upsert_global_command(self, req: _Request) -> tuple[int, Any]:
        return self._upsert_command(self._command_scope(req), req.body)

    async def _do_upsert_guild_command(self, req: _Request) -> tuple[int, Any]:
        return self._upsert_command(self._command_scope(req), req.body)

    def _overwrite_commands(self, scope: str | None, body: Any) -> list[JsonDict]:
        if not isinstance(body, list):
            raise DiscordError(
                400, p.invalid_form_body({"_errors": [_form_error("BASE_TYPE_ARRAY", "list")]})
            )
        errors: JsonDict = {}
        seen: set[tuple[str, int]] = set()
        for index, command in enumerate(body):
            problems = _command_errors(command)
            key = (str(command.get("name")), int(command.get("type", 1)))
            if key in seen:
                problems.setdefault(
                    "name",
                    p.field_error(
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        "Application command names must be unique",
                    ),
                )
            seen.add(key)
            if problems:
                errors[str(index)] = problems
        if sum(1 for c in body if int(c.get("type", 1)) == 1) > MAX_COMMANDS:
            errors.setdefault("_errors", []).append(
                _form_error("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_COMMANDS} or fewer in length.")
            )
        if errors:
            raise DiscordError(400, p.invalid_form_body(errors))
        self.commands[scope] = [self._stored_command(scope, c) for c in body]
        return self.commands[scope]

    def _upsert_command(self, scope: str | None, body: Any) -> tuple[int, JsonDict]:
        command = _json_object(body)
        problems = _command_errors(command)
        if problems:
            raise DiscordError(400, p.invalid_form_body(problems))
        stored = self._stored_command(scope, command)
        existing = self.commands.setdefault(scope, [])
        for index, old in enumerate(existing):
            if old["id"] == stored["id"]:
                existing[index] = stored
                return 200, stored
        existing.append(stored)
        return 201, stored

    def _stored_command(self, scope: str | None, command: JsonDict) -> JsonDict:
        key = (scope, str(command["name"]), int(command.get("type", 1)))
        if key not in self._command_ids:
            self._command_ids[key] = p.snowflake()
        return p.application_command(
            command,
            command_id=self._command_ids[key],
            application_id=self.application_id,
            guild_id=scope,
            version=p.snowflake(),
        )

    # -- REST: interaction callbacks, followups, @original -----------------------------------

    async def _do_create_interaction_response(self, req: _Request) -> tuple[int, Any]:
        state = self._interactions.get(req.match["interaction_id"])
        if state is None or state.sent.token != req.match["token"]:
            raise _error(404, 10062)
        if state.response_type is not None:
            raise _error(400, 40060)
        if self.now() - state.sent.sent_at > INITIAL_RESPONSE_DEADLINE:
            raise _error(404, 10062)
        body = _json_object(req.body)
        callback_type = int(body.get("type", 0) or 0)
        allowed = _ALLOWED_CALLBACKS.get(state.sent.type, frozenset())
        if callback_type not in allowed:
            raise DiscordError(
                400,
                p.invalid_form_body(
                    {
                        "type": p.field_error(
                            "BASE_TYPE_CHOICES", f"Value must be one of {sorted(allowed)}."
                        )
                    }
                ),
            )
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        assert isinstance(data, dict)
        if callback_type in (p.CHANNEL_MESSAGE_WITH_SOURCE, p.UPDATE_MESSAGE):
            _check_message_body(
                data, files=req.files, creating=callback_type == p.CHANNEL_MESSAGE_WITH_SOURCE
            )
        elif callback_type == p.MODAL:
            _check_modal(data)
        elif callback_type == p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            choices = data.get("choices", [])
            if not isinstance(choices, list) or len(choices) > MAX_OPTIONS:
                raise DiscordError(
                    400,
                    p.invalid_form_body(
                        {
                            "data": {
                                "choices": p.field_error(
                                    "BASE_TYPE_MAX_LENGTH",
                                    f"Must be {MAX_OPTIONS} or fewer in length.",
                                )
                            }
                        }
                    ),
                )

        state.response_type = callback_type
        resource_message: JsonDict | None = None
        if callback_type in (p.CHANNEL_MESSAGE_WITH_SOURCE, p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE):
            loading = callback_type == p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            flags = int(data.get("flags") or 0) & p.EPHEMERAL
            if loading:
                flags |= p.LOADING
            else:
                flags |= int(data.get("flags") or 0)
            message = self._interaction_message(
                state, data if not loading else {}, flags, req.uploads
            )
            state.original_id, state.loading = message["id"], loading
            if not loading:
                resource_message = message
                await self._message_created(message, self._channels.get(state.channel_id))
        elif callback_type in (p.DEFERRED_UPDATE_MESSAGE, p.UPDATE_MESSAGE):
            state.original_id = state.message_id
            if callback_type == p.UPDATE_MESSAGE and state.message_id in self._store:
                resource_message = self._store[state.message_id]
                _apply_edit(resource_message, data, req.uploads)
        await self._notify()

        if not _truthy(req.query.get("with_response")):
            return 204, None
        original = self._store.get(state.original_id or "")
        answer_interaction: JsonDict = {"id": state.sent.id, "type": state.sent.type}
        if original is not None and callback_type in (4, 5):
            answer_interaction.update(
                response_message_id=original["id"],
                response_message_loading=state.loading,
                response_message_ephemeral=bool(original["flags"] & p.EPHEMERAL),
            )
        resource: JsonDict = {"type": callback_type}
        if resource_message is not None:
            resource["message"] = resource_message
        return 200, {"interaction": answer_interaction, "resource": resource}

    def _interaction_message(
        self,
        state: _Interaction,
        data: JsonDict,
        flags: int,
        uploads: tuple[Upload, ...],
        *,
        message_type: int | None = None,
    ) -> JsonDict:
        invoker = self._users[state.user_id].payload()
        guild_key = state.guild_id if state.guild_id is not None else "0"
        if message_type is None:
            is_command = state.sent.type == p.APPLICATION_COMMAND
            message_type = p.MESSAGE_CHAT_INPUT_COMMAND if is_command else p.MESSAGE_DEFAULT
        message = p.message(
            p.snowflake(),
            state.channel_id,
            self.bot_user,
            content=str(data.get("content") or ""),
            embeds=data.get("embeds") or [],
            components=data.get("components") or [],
            flags=flags,
            guild_id=state.guild_id,
            message_type=message_type,
            webhook_id=self.application_id,
            application_id=self.application_id,
            attachments=_attachments(data, uploads),
            interaction_metadata=p.interaction_metadata(
                state.sent.id,
                state.sent.type,
                invoker,
                authorizing_integration_owners={"0": guild_key},
                name=state.command_name,
                interacted_message_id=state.message_id,
            ),
        )
        self._store[message["id"]] = message
        return message

    def _webhook_state(self, req: _Request) -> _Interaction:
        iid = self._by_token.get(req.match["token"])
        if req.match["application_id"] != self.application_id or iid is None:
            raise _error(404, 10015)
        state = self._interactions[iid]
        if self.now() - state.sent.sent_at > TOKEN_LIFETIME:
            raise _error(401, 50027)
        return state

    def _webhook_message(self, state: _Interaction, message_id: str) -> JsonDict:
        if message_id == "@original":
            if state.original_id is None or state.original_id not in self._store:
                raise _error(404, 10008)
            return self._store[state.original_id]
        if message_id != state.original_id and message_id not in state.followup_ids:
            raise _error(404, 10008)
        if message_id not in self._store:
            raise _error(404, 10008)
        return self._store[message_id]

    async def _do_execute_webhook(self, req: _Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        if state.response_type is None:
            raise _error(404, 10015)
        body = _json_object(req.body)
        _check_message_body(body, files=req.files, creating=True)
        if state.loading and state.original_id in self._store:
            # After a deferred "thinking" response the first followup fills that message
            # (keeping the defer's ephemerality).
            message = self._store[state.original_id]
            _apply_edit(message, body, req.uploads)
            message["flags"] = int(message["flags"]) & ~p.LOADING
            state.loading = False
        else:
            flags = int(body.get("flags") or 0)
            message = self._interaction_message(
                state, body, flags, req.uploads, message_type=p.MESSAGE_DEFAULT
            )
            state.followup_ids.append(message["id"])
        self.followups.setdefault(state.sent.id, []).append(
            _sent(message, body, req.uploads, interaction_id=state.sent.id)
        )
        if not message["flags"] & p.EPHEMERAL:
            await self._message_created(message, self._channels.get(state.channel_id))
        return (200, message) if _truthy(req.query.get("wait")) else (204, None)

    async def _do_get_webhook_message(self, req: _Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        return 200, self._webhook_message(state, req.match["message_id"])

    async def _do_edit_webhook_message(self, req: _Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        message = self._webhook_message(state, req.match["message_id"])
        body = _json_object(req.body)
        _check_message_body(body, files=req.files, creating=False)
        _apply_edit(message, body, req.uploads)
        if message["id"] == state.original_id and state.loading:
            message["flags"] = int(message["flags"]) & ~p.LOADING
            state.loading = False
        self.edits.append(
            Edit(message["id"], str(message["channel_id"]), state.sent.id, body, self.now())
        )
        return 200, message

    async def _do_delete_webhook_message(self, req: _Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        message = self._webhook_message(state, req.match["message_id"])
        del self._store[message["id"]]
        return 204, None

    # -- payload helpers ---------------------------------------------------------------------

    def _guild(self, guild_id: str | int) -> _Guild:
        guild = self._guilds.get(str(guild_id))
        if guild is None:
            raise ValueError(f"unknown guild {guild_id}: add_guild first")
        return guild

    def _role_payload(self, role: _Role) -> JsonDict:
        return p.role(
            role.id,
            role.name,
            permissions=role.permissions,
            position=role.position,
            managed=role.bot_id is not None,
            bot_id=role.bot_id,
        )

    def _member_payload(
        self, guild: _Guild, user_id: str, *, permissions: int | None = None
    ) -> JsonDict:
        member = guild.members[user_id]
        return p.member(
            self._users[user_id].payload(),
            roles=member.roles,
            joined_at=member.joined_at,
            nick=member.nick,
            permissions=permissions,
        )

    def _channel_payload(self, channel: _Channel) -> JsonDict:
        if channel.guild_id is None:
            return p.dm_channel(channel.id, self._users[channel.recipient_id or ""].payload())
        return p.text_channel(channel.id, channel.name, channel.guild_id, position=channel.position)

    def _guild_create(self, guild: _Guild, intents: int) -> JsonDict:
        # Without the GUILD_MEMBERS intent Discord sends only the bot's own member.
        members = guild.members if intents & p.INTENT_GUILD_MEMBERS else [self.bot_user_id]
        member_ids = list(members)
        return p.guild_create(
            guild.id,
            guild.name,
            guild.owner_id,
            roles=[self._role_payload(r) for r in guild.roles.values()],
            channels=[self._channel_payload(c) for c in guild.channels.values()],
            members=[self._member_payload(guild, uid) for uid in member_ids],
            member_count=len(guild.members),
            locale=guild.locale,
            joined_at=guild.members[self.bot_user_id].joined_at,
        )


@dataclass(frozen=True)
class _Where:
    """Where an interaction happens and who makes it, as payload pieces."""

    guild_id: str | None
    channel_id: str
    user_id: str
    channel_payload: JsonDict
    member_payload: JsonDict | None
    invoker: JsonDict
    app_permissions: int


# -- pointing discord.py at the fake -----------------------------------------------------------


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py's REST (and webhooks, interaction callbacks) and its gateway at the
    fake; restore both class attributes afterwards."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.rest_base
    DiscordWebSocket.DEFAULT_GATEWAY = fake.gateway_url
    try:
        yield fake
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running(
    client: discord.Client,
    *,
    token: str = "token",
    timeout: float = 5.0,  # noqa: ASYNC109
) -> AsyncIterator[discord.Client]:
    """Log `client` in, connect it in a task, wait until it is ready; close it afterwards
    (which also ends the task). A failure to connect (bad token, disallowed intents) raises
    discord.py's exception instead of waiting."""
    try:
        await client.login(token)
    except BaseException:
        await client.close()
        raise
    connection = asyncio.create_task(client.connect(), name="discord-client-connect")
    ready = asyncio.create_task(client.wait_until_ready(), name="discord-client-ready")
    try:
        done, _ = await asyncio.wait(
            {connection, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if connection in done:
            connection.result()
            raise AssertionError("the discord.py client stopped before it was ready")
        if ready not in done:
            raise AssertionError(f"the discord.py client was not ready within {timeout} s")
        yield client
    finally:
        ready.cancel()
        await client.close()
        # connect() returns once the client is closed; a failure was raised above already.
        await asyncio.gather(connection, ready, return_exceptions=True)


# -- module helpers ----------------------------------------------------------------------------


def _error(status: int, code: int, message: str | None = None) -> DiscordError:
    return DiscordError(status, p.error_body(code, message))


def _form_error(code: str, message: str) -> JsonDict:
    return {"code": code, "message": message}


def _interaction_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


def _shard_of(guild_id: str, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count


def _bucket(route: str) -> str:
    return hashlib.sha1(route.encode(), usedforsecurity=False).hexdigest()[:16]


def _ratelimit_headers(route: str) -> dict[str, str]:
    """What Discord sends on every answer; a generous bucket, so discord.py never waits."""
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": _bucket(route),
    }


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true")


async def _read_body(request: web.Request) -> tuple[Any, tuple[Upload, ...]]:
    if not request.can_read_body:
        return None, ()
    if request.content_type == "multipart/form-data":
        body: Any = None
        files: list[Upload] = []
        form = await request.post()
        for name, value in form.items():
            if name == "payload_json":
                body = json.loads(str(value))
            elif isinstance(value, web.FileField):
                files.append(Upload(value.filename, value.file.read(), value.content_type))
        return body, tuple(files)
    raw = await request.read()
    if not raw:
        return None, ()
    return json.loads(raw), ()


def _json_object(body: Any) -> JsonDict:
    if not isinstance(body, dict):
        raise DiscordError(400, p.error_body(50109, "The request body contains invalid JSON."))
    return body


def _sent(
    message: JsonDict,
    body: JsonDict,
    uploads: tuple[Upload, ...] = (),
    *,
    interaction_id: str | None = None,
) -> SentMessage:
    nonce = body.get("nonce")
    return SentMessage(
        id=str(message["id"]),
        channel_id=str(message["channel_id"]),
        content=body.get("content"),
        embeds=list(body.get("embeds") or []),
        components=list(body.get("components") or []),
        allowed_mentions=body.get("allowed_mentions"),
        nonce=None if nonce is None else str(nonce),
        enforce_nonce=bool(body.get("enforce_nonce")),
        flags=int(message.get("flags") or 0),
        body=body,
        payload=message,
        interaction_id=interaction_id,
        files=uploads,
    )


def _attachments(body: JsonDict, uploads: tuple[Upload, ...]) -> list[JsonDict]:
    return [
        {
            "id": p.snowflake(),
            "filename": upload.name,
            "size": len(upload.content),
            "content_type": upload.content_type,
            "url": f"https://cdn.invalid/{upload.name}",
            "proxy_url": f"https://cdn.invalid/{upload.name}",
        }
        for upload in uploads
    ]


def _check_message_body(body: JsonDict, *, files: tuple[str, ...], creating: bool) -> None:
    """Discord's refusals of a message body: too long, too many embeds, a long nonce, or
    (creating) nothing to show."""
    content = body.get("content")
    errors: JsonDict = {}
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        errors["content"] = p.field_error(
            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CONTENT} or fewer in length."
        )
    embeds = body.get("embeds")
    if isinstance(embeds, list) and len(embeds) > MAX_EMBEDS:
        errors["embeds"] = p.field_error(
            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length."
        )
    nonce = body.get("nonce")
    if nonce is not None and len(str(nonce)) > MAX_NONCE:
        errors["nonce"] = p.field_error(
            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_NONCE} or fewer in length."
        )
    if errors:
        raise DiscordError(400, p.invalid_form_body(errors))
    shows = (
        content
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or files
    )
    if creating and not shows:
        raise _error(400, 50006)


def _apply_edit(message: JsonDict, body: JsonDict, uploads: tuple[Upload, ...] = ()) -> None:
    """An edit as Discord applies it; `attachments` lists the ones kept (by id) and the new
    files (by index), which come as `uploads`."""
    for key in ("content", "embeds", "components"):
        if key in body:
            value = body[key]
            message[key] = value if value is not None else ("" if key == "content" else [])
    if "attachments" in body or uploads:
        listed = {str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, dict)}
        kept = [a for a in message.get("attachments") or [] if str(a.get("id")) in listed]
        message["attachments"] = kept + _attachments(body, uploads)
    if "flags" in body and body["flags"] is not None:
        keep = int(message["flags"]) & (p.EPHEMERAL | p.LOADING)
        message["flags"] = keep | (int(body["flags"]) & ~(p.EPHEMERAL | p.LOADING))
    message["edited_timestamp"] = p.iso_timestamp()


def _check_modal(data: JsonDict) -> None:
    errors: JsonDict = {}
    if not data.get("custom_id"):
        errors["custom_id"] = p.field_error("BASE_TYPE_REQUIRED", "This field is required")
    if not data.get("title"):
        errors["title"] = p.field_error("BASE_TYPE_REQUIRED", "This field is required")
    components = data.get("components")
    if not isinstance(components, list) or not 1 <= len(components) <= 5:
        errors["components"] = p.field_error(
            "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    if errors:
        raise DiscordError(400, p.invalid_form_body({"data": errors}))


def _command_errors(command: Any) -> JsonDict:
    if not isinstance(command, dict):
        return {"_errors": [_form_error("DICT_TYPE_CONVERT", "Only dictionaries may be used.")]}
    problems: JsonDict = {}
    name = command.get("name")
    command_type = int(command.get("type", 1))
    valid_name = isinstance(name, str) and (
        _COMMAND_NAME.match(name) and name == name.lower()
        if command_type == 1
        else 1 <= len(name) <= 32
    )
    if not valid_name:
        problems["name"] = p.field_error(
            "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
        )
    description = command.get("description", "")
    if command_type == 1 and not (isinstance(description, str) and 1 <= len(description) <= 100):
        problems["description"] = p.field_error(
            "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    option_problems = _option_errors(command.get("options") or [])
    if option_problems:
        problems["options"] = option_problems
    return problems


def _option_errors(options: Sequence[JsonDict]) -> JsonDict:
    problems: JsonDict = {}
    if len(options) > MAX_OPTIONS:
        problems["_errors"] = [
            _form_error("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_OPTIONS} or fewer in length.")
        ]
    seen_optional = False
    for index, option in enumerate(options):
        mine: JsonDict = {}
        name = option.get("name")
        if not (isinstance(name, str) and _COMMAND_NAME.match(name) and name == name.lower()):
            mine["name"] = p.field_error(
                "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
            )
        description = option.get("description", "")
        if not (isinstance(description, str) and 1 <= len(description) <= 100):
            mine["description"] = p.field_error(
                "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        if option.get("type") in (p.SUB_COMMAND, p.SUB_COMMAND_GROUP):
            nested = _option_errors(option.get("options") or [])
            if nested:
                mine["options"] = nested
        elif option.get("required"):
            if seen_optional:
                mine["required"] = p.field_error(
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        if mine:
            problems[str(index)] = mine
    return problems


def _has_component(components: Iterable[JsonDict], custom_id: str) -> bool:
    for component in components:
        if component.get("custom_id") == custom_id:
            return True
        children = list(component.get("components") or [])
        if "component" in component:
            children.append(component["component"])
        if "accessory" in component:
            children.append(component["accessory"])
        if _has_component(children, custom_id):
            return True
    return False


_INPUT_TYPES: Final = frozenset({3, 4, 5, 6, 7, 8, 19, 21, 22, 23})


def _modal_submission(modal: JsonDict, values: Mapping[str, str | Sequence[str]]) -> list[JsonDict]:
    """What Discord submits for the modal the bot sent, filled with `values`."""
    used: set[str] = set()
    ids = itertools.count(1)

    def submitted(component: JsonDict) -> JsonDict | None:
        kind = int(component.get("type", 0))
        if kind == 1:
            row = [c for c in map(submitted, component.get("components", [])) if c is not None]
            return {"type": 1, "id": next(ids), "components": row}
        if kind == p.LABEL:
            inner = submitted(component["component"])
            return None if inner is None else {"type": p.LABEL, "id": next(ids), "component": inner}
        if kind == 10:
            return {"type": 10, "id": next(ids), "content": component.get("content", "")}
        if kind not in _INPUT_TYPES:
            return None
        custom_id = str(component["custom_id"])
        if custom_id in values:
            used.add(custom_id)
            value = values[custom_id]
        elif component.get("required", kind == p.TEXT_INPUT):
            raise ValueError(f"the modal's input {custom_id!r} is required: give a value")
        else:
            value = "" if kind == p.TEXT_INPUT else []
        entry: JsonDict = {"type": kind, "id": next(ids), "custom_id": custom_id}
        if kind == p.TEXT_INPUT:
            entry["value"] = str(value)
        elif kind in (21,):
            entry["value"] = value if isinstance(value, str) else None
        elif kind == 23:
            entry["value"] = bool(value)
        else:
            entry["values"] = [value] if isinstance(value, str) else list(value)
        return entry

    components = [c for c in map(submitted, modal.get("components", [])) if c is not None]
    unknown = set(values) - used
    if unknown:
        raise ValueError(f"the modal {modal.get('custom_id')!r} has no input(s) {sorted(unknown)}")
    return components

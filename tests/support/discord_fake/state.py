"""What the fake knows (its registry of users, guilds, roles, channels and members; what it
recorded; the interactions in flight), its clock and addresses, and the payloads it makes of
its registry. Each section of the fake (registry.py, gateway.py, interactions.py, rest*.py...)
is a mixin over this state; fake.py puts them together."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import yarl
from aiohttp import web

from tests.support import discord_payloads as p
from tests.support.discord_fake.bucket import Bucket
from tests.support.discord_fake.limits import APPLICATION_ID, BOT_USERNAME, OWNER_ID
from tests.support.discord_fake.records import (
    Call,
    Callback,
    Edit,
    GatewaySession,
    JsonDict,
    SentInteraction,
    SentMessage,
)
from tests.support.local_server import LocalServer


@dataclass(frozen=True)
class Fault:
    """A refusal a test queued for a route (`fail_next`)."""

    status: int
    code: int
    message: str | None
    retry_after: float | None
    is_global: bool


@dataclass
class User:
    id: str
    name: str
    bot: bool

    def payload(self) -> JsonDict:
        return p.user(self.id, self.name, bot=self.bot)


@dataclass
class Member:
    user_id: str
    roles: list[str]
    joined_at: str
    nick: str | None = None


@dataclass
class Role:
    id: str
    name: str
    permissions: int
    position: int
    bot_id: str | None = None


@dataclass
class Channel:
    id: str
    name: str
    guild_id: str | None
    recipient_id: str | None = None
    position: int = 0


@dataclass
class Guild:
    id: str
    name: str
    owner_id: str
    locale: str
    joined_at: str
    roles: dict[str, Role] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    bot_role_id: str = ""


@dataclass
class InteractionState:
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


class FakeState:
    """The fake's state, clock, addresses and registry payloads."""

    def __init__(
        self,
        *,
        application_id: str | int = APPLICATION_ID,
        bot_username: str = BOT_USERNAME,
        token: str | None = None,
        shard_count: int = 1,
        max_concurrency: int = 1,
        privileged_intents: int = p.PRIVILEGED_INTENTS,
        heartbeat_interval_ms: int = p.HEARTBEAT_INTERVAL_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`token`: the bot token accepted (None: any non-empty one). `privileged_intents`:
        those enabled in the (imaginary) developer portal; asking for others closes the
        gateway with 4014 (discord.py raises PrivilegedIntentsRequired). `shard_count`: the
        shards GET /gateway/bot recommends and IDENTIFY must use; `max_concurrency`: how many
        shards it says may identify at once (Discord's own default is 1)."""
        self.application_id = str(application_id)
        self.bot_user_id = self.application_id
        self.bot_username = bot_username
        self.token = token
        self.shard_count = shard_count
        self.max_concurrency = max_concurrency
        self._resumes_held: dict[int, asyncio.Event] = {}
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

        self._users: dict[str, User] = {}
        self._guilds: dict[str, Guild] = {}
        self._channels: dict[str, Channel] = {}
        self._dm_by_user: dict[str, str] = {}
        self._closed_dms: set[str] = set()
        self._store: dict[str, JsonDict] = {}
        """Every message object by id (channel messages, originals, followups, users')."""
        self._nonces: dict[str, tuple[str, float]] = {}
        self._interactions: dict[str, InteractionState] = {}
        self._by_token: dict[str, str] = {}
        self._command_ids: dict[tuple[str | None, str, int], str] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._bucket: Bucket | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._changed = asyncio.Condition()
        self._server = LocalServer()
        self.base_url = ""
        self._users[self.bot_user_id] = User(self.bot_user_id, bot_username, bot=True)
        self._users[OWNER_ID] = User(OWNER_ID, "circles-owner", bot=False)

    @property
    def rest_base(self) -> str:
        """For `discord.http.DiscordRoute.BASE`."""
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

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock on: interactions' 3 s deadline and 15 min tokens expire."""
        self._offset += seconds

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

    def _guild(self, guild_id: str | int) -> Guild:
        guild = self._guilds.get(str(guild_id))
        if guild is None:
            raise ValueError(f"unknown guild {guild_id}: add_guild first")
        return guild

    def _role_payload(self, role: Role) -> JsonDict:
        return p.role(
            role.id,
            role.name,
            permissions=role.permissions,
            position=role.position,
            managed=role.bot_id is not None,
            bot_id=role.bot_id,
        )

    def _member_payload(
        self, guild: Guild, user_id: str, *, permissions: int | None = None
    ) -> JsonDict:
        member = guild.members[user_id]
        return p.member(
            self._users[user_id].payload(),
            roles=member.roles,
            joined_at=member.joined_at,
            nick=member.nick,
            permissions=permissions,
        )

    def _channel_payload(self, channel: Channel) -> JsonDict:
        if channel.guild_id is None:
            return p.dm_channel(channel.id, self._users[channel.recipient_id or ""].payload())
        return p.text_channel(channel.id, channel.name, channel.guild_id, position=channel.position)

    def _guild_create(self, guild: Guild, intents: int) -> JsonDict:
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

"""What the fake records of what the bot did, as the tests read it back: the REST calls, the
messages, each interaction's initial-response attempts, the edits, the interactions the fake
sent and the gateway sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import CIMultiDictProxy

from tests.support import discord_payloads as p

JsonDict = dict[str, Any]


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

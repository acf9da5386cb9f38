"""The gateway: HELLO, IDENTIFY (token, intents and shard checked), READY and a GUILD_CREATE per
guild of the shard (members only with the GUILD_MEMBERS intent), heartbeat ACKs, member chunk
requests, RESUME (missed events replayed; held for one shard when a test asks), and
dispatching events to the right shard: a guild's on shard (guild id >> 22) % shard count."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from tests.support import discord_payloads as p
from tests.support.discord_fake.records import GatewaySession, JsonDict
from tests.support.discord_fake.state import Channel, FakeState


class Gateway(FakeState):
    """Gateway connections, sessions and dispatch."""

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

    async def disconnect(self, code: int = 4000, *, shard: int | None = None) -> None:
        """Close every gateway connection with `code` (4000: discord.py resumes), or only the
        connections of shard `shard`, the others carrying on."""
        if shard is None:
            sockets = list(self._sockets)
        else:
            sockets = [s.ws for s in self.sessions if s.shard[0] == shard and s.ws is not None]
        for ws in sockets:
            await ws.close(code=code, message=b"fake disconnect")

    def hold_resumes(self, shard: int) -> asyncio.Event:
        """Shard `shard`'s RESUMEs wait until the event returned is set: the shard stays down
        (its events kept for the replay) while the other shards carry on."""
        self._resumes_held[shard] = asyncio.Event()
        return self._resumes_held[shard]

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
        held = self._resumes_held.get(session.shard[0])
        if held is not None:
            await held.wait()
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

    async def _message_created(self, message: JsonDict, channel: Channel | None) -> None:
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


def _shard_of(guild_id: str, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count

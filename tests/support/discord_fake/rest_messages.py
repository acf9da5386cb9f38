"""REST: who the bot is and where its gateway is; users, DM channels, channels, members, and
channel messages (nonce de-duplication with `enforce_nonce`; closed DMs and missing permissions
refused as Discord refuses them)."""

from __future__ import annotations

from typing import Any

from tests.support import discord_payloads as p
from tests.support.discord_fake.gateway import Gateway
from tests.support.discord_fake.limits import NONCE_WINDOW, OWNER_ID
from tests.support.discord_fake.message_bodies import (
    apply_edit,
    attachment_objects,
    check_message_body,
    sent_message,
)
from tests.support.discord_fake.records import Edit
from tests.support.discord_fake.refusals import json_object, refused
from tests.support.discord_fake.registry import Registry
from tests.support.discord_fake.routes import Request
from tests.support.discord_fake.state import Channel


class RestMessages(Registry, Gateway):
    """Identity, users, channels, members and messages."""

    async def _do_get_current_user(self, req: Request) -> tuple[int, Any]:
        return 200, {**self.bot_user, "verified": True, "mfa_enabled": False, "email": None}

    async def _do_get_user(self, req: Request) -> tuple[int, Any]:
        user = self._users.get(req.match["user_id"])
        if user is None:
            raise refused(404, 10013)
        return 200, user.payload()

    async def _do_application_info(self, req: Request) -> tuple[int, Any]:
        owner = self._users[OWNER_ID].payload()
        return 200, p.application(self.application_id, self.bot_username, self.bot_user, owner)

    async def _do_get_gateway(self, req: Request) -> tuple[int, Any]:
        return 200, {"url": str(self.gateway_url)}

    async def _do_get_bot_gateway(self, req: Request) -> tuple[int, Any]:
        return 200, {
            "url": str(self.gateway_url),
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": self.max_concurrency,
            },
        }

    async def _do_start_private_message(self, req: Request) -> tuple[int, Any]:
        body = json_object(req.body)
        recipient = str(body.get("recipient_id", ""))
        if recipient not in self._users:
            raise refused(404, 10013)
        channel_id = self.dm_channel_id(recipient)
        return 200, p.dm_channel(channel_id, self._users[recipient].payload())

    async def _do_get_channel(self, req: Request) -> tuple[int, Any]:
        channel = self._channels.get(req.match["channel_id"])
        if channel is None:
            raise refused(404, 10003)
        return 200, self._channel_payload(channel)

    async def _do_get_member(self, req: Request) -> tuple[int, Any]:
        guild = self._guilds.get(req.match["guild_id"])
        if guild is None:
            raise refused(404, 10004)
        if req.match["user_id"] not in guild.members:
            raise refused(404, 10007)
        return 200, self._member_payload(guild, req.match["user_id"])

    async def _do_get_all_guild_channels(self, req: Request) -> tuple[int, Any]:
        guild = self._guilds.get(req.match["guild_id"])
        if guild is None:
            raise refused(404, 10004)
        return 200, [self._channel_payload(c) for c in guild.channels.values()]

    async def _do_get_roles(self, req: Request) -> tuple[int, Any]:
        guild = self._guilds.get(req.match["guild_id"])
        if guild is None:
            raise refused(404, 10004)
        return 200, [self._role_payload(r) for r in guild.roles.values()]

    async def _do_send_message(self, req: Request) -> tuple[int, Any]:
        channel = self._channels.get(req.match["channel_id"])
        if channel is None:
            raise refused(404, 10003)
        self._check_can_send(channel)
        body = json_object(req.body)
        check_message_body(body, files=req.files, creating=True)
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
            attachments=attachment_objects(body, req.uploads),
        )
        self._store[message["id"]] = message
        if enforce:
            self._nonces[str(nonce)] = (message["id"], self.now())
        self.messages.setdefault(channel.id, []).append(sent_message(message, body, req.uploads))
        await self._message_created(message, channel)
        return 200, message

    async def _do_edit_message(self, req: Request) -> tuple[int, Any]:
        channel = self._channels.get(req.match["channel_id"])
        if channel is None:
            raise refused(404, 10003)
        message = self._store.get(req.match["message_id"])
        if message is None or message["channel_id"] != channel.id:
            raise refused(404, 10008)
        if message["author"]["id"] != self.bot_user_id:
            raise refused(403, 50005, "Cannot edit a message authored by another user")
        body = json_object(req.body)
        check_message_body(body, files=req.files, creating=False)
        apply_edit(message, body, req.uploads)
        self.edits.append(Edit(message["id"], channel.id, None, body, self.now()))
        return 200, message

    def _check_can_send(self, channel: Channel) -> None:
        if channel.guild_id is None:
            recipient = channel.recipient_id or ""
            user = self._users.get(recipient)
            if recipient in self._closed_dms or user is None or user.bot:
                raise refused(403, 50007)
            return
        permissions = self.permissions_of(channel.guild_id, self.bot_user_id)
        if not permissions & p.VIEW_CHANNEL:
            raise refused(403, 50001)
        if not permissions & p.SEND_MESSAGES:
            raise refused(403, 50013)

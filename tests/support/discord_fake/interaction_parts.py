"""What an interaction the fake sends is made of: where it happens and who makes it, its payload,
the `resolved` users, members, roles and channels of its options, the message a component sat
on, and what Discord submits for a modal the bot opened."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from tests.support import discord_payloads as p
from tests.support.discord_fake.records import JsonDict
from tests.support.discord_fake.registry import Registry
from tests.support.discord_fake.state import Guild, InteractionState


@dataclass(frozen=True)
class Where:
    """Where an interaction happens and who makes it, as payload pieces."""

    guild_id: str | None
    channel_id: str
    user_id: str
    channel_payload: JsonDict
    member_payload: JsonDict | None
    invoker: JsonDict
    app_permissions: int


class InteractionParts(Registry):
    """The pieces of an INTERACTION_CREATE, from the registry."""

    def _interaction_payload(
        self,
        interaction_type: int,
        data: JsonDict,
        where: Where,
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
    ) -> Where:
        uid = str(user_id)
        user = self._users.get(uid)
        if user is None:
            raise ValueError(f"unknown user {uid}: add_member or add_user first")
        if in_dm:
            cid = self.dm_channel_id(uid)
            return Where(
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
        return Where(
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

    def _default_guild(self, guild_id: str | int | None) -> Guild:
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

    def _made_up_message(self, where: Where, custom_id: str, component_type: int) -> JsonDict:
        component: JsonDict = {"type": component_type, "custom_id": custom_id}
        if component_type == p.BUTTON:
            component.update(style=1, label=custom_id)
        else:
            component.update(options=[], placeholder=None)
        message = p.message(
            # an hour old by the wall clock, as discord.py reads ids against it
            p.snowflake(time.time() - 3600),
            where.channel_id,
            self.bot_user,
            content="",
            components=[p.action_row(component)],
            guild_id=where.guild_id,
        )
        self._store[message["id"]] = message
        return message

    def _opened_modal(self, custom_id: str) -> tuple[JsonDict, InteractionState] | None:
        for iid, attempts in reversed(self.callbacks.items()):
            for callback in reversed(attempts):
                if (
                    callback.accepted
                    and callback.type == p.MODAL
                    and (callback.data or {}).get("custom_id") == custom_id
                ):
                    return callback.data or {}, self._interactions[iid]
        return None


def _interaction_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


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


def modal_submission(modal: JsonDict, values: Mapping[str, str | Sequence[str]]) -> list[JsonDict]:
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

"""What Discord sends a bot, in one module, shaped as discord.py 2.7.1 reads it.

- Objects: `user`, `role`, `member`, `text_channel`, `dm_channel`, `guild_create` (the
  GUILD_CREATE body: roles, channels, members), `message`, `application` (the answer of
  `GET /oauth2/applications/@me`), `application_command` (a command as Discord stores it).
- Gateway frames: `hello`, `heartbeat_ack`, `dispatch`, `invalid_session`, `reconnect`, and the
  bodies `ready` and `guild_members_chunk`.
- Interactions (`INTERACTION_CREATE`): `interaction` carries every field discord.py needs
  (`attachment_size_limit`, `version`, `application_id`, `token`, `member` with `flags` and
  `roles`, users with `discriminator` and `avatar`, `channel`, `app_permissions`,
  `entitlements`, `locale`, `authorizing_integration_owners`, `context`); its `data` comes from
  `command_data` (type 2 and, with a focused option, type 4), `component_data` (type 3) or
  `modal_submit_data` (type 5).
- Options: `option` (type from the value), `user_option`, `channel_option`, `role_option`,
  `subcommand`, `subcommand_group`, `focused`; `walk_options` yields the leaves.
- Modal values: `text_input_value`, `action_row`, `label`.
- Errors: `error_body`, `invalid_form_body`, `rate_limited_body`.

Ids are snowflakes as strings (`snowflake()` makes fresh ones). The fields discord.py requires
shift between its releases: discord.py is pinned exactly, and a change of shape belongs here only.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

JsonDict = dict[str, Any]

API_VERSION: Final = 10
DISCORD_EPOCH_MS: Final = 1_420_070_400_000
ATTACHMENT_SIZE_LIMIT: Final = 10 * 1024 * 1024
"""The upload limit an interaction reports for a server without boosts (10 MiB)."""
HEARTBEAT_INTERVAL_MS: Final = 41_250

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR: Final = 1 << 3
MANAGE_CHANNELS: Final = 1 << 4
MANAGE_GUILD: Final = 1 << 5
""""Manage Server" in Discord's interface."""
ADD_REACTIONS: Final = 1 << 6
VIEW_CHANNEL: Final = 1 << 10
SEND_MESSAGES: Final = 1 << 11
EMBED_LINKS: Final = 1 << 14
ATTACH_FILES: Final = 1 << 15
READ_MESSAGE_HISTORY: Final = 1 << 16
MENTION_EVERYONE: Final = 1 << 17
MANAGE_ROLES: Final = 1 << 28
USE_APPLICATION_COMMANDS: Final = 1 << 31
SEND_MESSAGES_IN_THREADS: Final = 1 << 38
ALL_PERMISSIONS: Final = 8_866_461_766_385_663
"""Every permission bit discord.py 2.7.1 knows (`discord.Permissions.all().value`): what an
owner or an administrator has."""
DEFAULT_EVERYONE_PERMISSIONS: Final = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | ADD_REACTIONS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_PERMISSIONS: Final = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS
)

# Gateway intents.
INTENT_GUILDS: Final = 1 << 0
INTENT_GUILD_MEMBERS: Final = 1 << 1
INTENT_GUILD_PRESENCES: Final = 1 << 8
INTENT_GUILD_MESSAGES: Final = 1 << 9
INTENT_DIRECT_MESSAGES: Final = 1 << 12
INTENT_MESSAGE_CONTENT: Final = 1 << 15
PRIVILEGED_INTENTS: Final = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Gateway opcodes.
OP_DISPATCH: Final = 0
OP_HEARTBEAT: Final = 1
OP_IDENTIFY: Final = 2
OP_PRESENCE_UPDATE: Final = 3
OP_RESUME: Final = 6
OP_RECONNECT: Final = 7
OP_REQUEST_GUILD_MEMBERS: Final = 8
OP_INVALID_SESSION: Final = 9
OP_HELLO: Final = 10
OP_HEARTBEAT_ACK: Final = 11

# Interaction types, callback types, option types, contexts.
PING: Final = 1
APPLICATION_COMMAND: Final = 2
MESSAGE_COMPONENT: Final = 3
APPLICATION_COMMAND_AUTOCOMPLETE: Final = 4
MODAL_SUBMIT: Final = 5

PONG: Final = 1
CHANNEL_MESSAGE_WITH_SOURCE: Final = 4
DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: Final = 5
DEFERRED_UPDATE_MESSAGE: Final = 6
UPDATE_MESSAGE: Final = 7
APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: Final = 8
MODAL: Final = 9
LAUNCH_ACTIVITY: Final = 12

SUB_COMMAND: Final = 1
SUB_COMMAND_GROUP: Final = 2
STRING: Final = 3
INTEGER: Final = 4
BOOLEAN: Final = 5
USER: Final = 6
CHANNEL: Final = 7
ROLE: Final = 8
MENTIONABLE: Final = 9
NUMBER: Final = 10
ATTACHMENT: Final = 11

CONTEXT_GUILD: Final = 0
CONTEXT_BOT_DM: Final = 1
CONTEXT_PRIVATE_CHANNEL: Final = 2

# Channel, component and message constants.
GUILD_TEXT: Final = 0
DM: Final = 1
BUTTON: Final = 2
STRING_SELECT: Final = 3
TEXT_INPUT: Final = 4
LABEL: Final = 18
EPHEMERAL: Final = 1 << 6
LOADING: Final = 1 << 7
MESSAGE_DEFAULT: Final = 0
MESSAGE_CHAT_INPUT_COMMAND: Final = 20

_snowflake_seq = itertools.count()


def snowflake(at: float | None = None) -> str:
    """A fresh snowflake id (as a string) for Unix time `at` (default: now). The real time on
    purpose: discord.py and the adapter time an interaction's 3-second deadline from its id
    against the wall clock, never against the bot's pinned Clock."""
    ms = int((time.time() if at is None else at) * 1000)
    return str(((ms - DISCORD_EPOCH_MS) << 22) | (next(_snowflake_seq) & 0x3FFFFF))


def iso_timestamp(at: float | None = None) -> str:
    """An ISO 8601 timestamp as Discord writes them (`2024-05-01T12:00:00.000000+00:00`)."""
    return datetime.fromtimestamp(time.time() if at is None else at, UTC).isoformat(
        timespec="microseconds"
    )


# -- objects ---------------------------------------------------------------------------------


def user(
    user_id: str | int,
    username: str,
    *,
    bot: bool = False,
    global_name: str | None = None,
    avatar: str | None = None,
) -> JsonDict:
    """A user object. Usernames are unique since 2023: `discriminator` is "0"."""
    payload: JsonDict = {
        "id": str(user_id),
        "username": username,
        "discriminator": "0",
        "global_name": global_name if global_name is not None else (None if bot else username),
        "avatar": avatar,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
    }
    if bot:
        payload["bot"] = True
    return payload


def role(
    role_id: str | int,
    name: str,
    *,
    permissions: int = 0,
    position: int = 0,
    managed: bool = False,
    bot_id: str | int | None = None,
) -> JsonDict:
    """A role; `bot_id` makes it the managed role of a bot's integration. The @everyone role's
    id is the guild's id."""
    payload: JsonDict = {
        "id": str(role_id),
        "name": name,
        "description": None,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "managed": managed,
        "mentionable": False,
        "flags": 0,
    }
    if bot_id is not None:
        payload["tags"] = {"bot_id": str(bot_id)}
    return payload


def member(
    user_payload: JsonDict | None,
    *,
    roles: Iterable[str | int] = (),
    joined_at: str | None = None,
    nick: str | None = None,
    permissions: int | None = None,
) -> JsonDict:
    """A guild member. `user_payload` None leaves `user` out (as in `resolved.members`);
    `permissions` is set in interactions, where Discord computes it for the channel."""
    payload: JsonDict = {
        "roles": [str(r) for r in roles],
        "nick": nick,
        "avatar": None,
        "banner": None,
        "joined_at": joined_at or iso_timestamp(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
        "avatar_decoration_data": None,
    }
    if user_payload is not None:
        payload["user"] = user_payload
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def text_channel(
    channel_id: str | int,
    name: str,
    guild_id: str | int,
    *,
    position: int = 0,
    topic: str | None = None,
    parent_id: str | int | None = None,
    permissions: int | None = None,
) -> JsonDict:
    """A guild text channel; `permissions` (the invoking user's, computed) is set in
    interactions."""
    payload: JsonDict = {
        "id": str(channel_id),
        "type": GUILD_TEXT,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None if parent_id is None else str(parent_id),
        "topic": topic,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def dm_channel(channel_id: str | int, recipient: JsonDict) -> JsonDict:
    """The DM channel with one user (`POST /users/@me/channels`, and interactions in DMs)."""
    return {
        "id": str(channel_id),
        "type": DM,
        "last_message_id": None,
        "flags": 0,
        "recipients": [recipient],
    }


def guild_create(
    guild_id: str | int,
    name: str,
    owner_id: str | int,
    *,
    roles: Sequence[JsonDict],
    channels: Sequence[JsonDict],
    members: Sequence[JsonDict],
    member_count: int,
    locale: str = "en-US",
    joined_at: str | None = None,
) -> JsonDict:
    """The body of GUILD_CREATE: the guild with its roles, channels and the members Discord
    sends (all of them with the GUILD_MEMBERS intent, else only the bot)."""
    return {
        "id": str(guild_id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": locale,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": list(roles),
        "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in channels],
        "threads": [],
        "members": list(members),
        "member_count": member_count,
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "large": member_count > 250,
        "unavailable": False,
        "joined_at": joined_at or iso_timestamp(),
        "application_id": None,
        "max_members": 500_000,
        "max_video_channel_users": 25,
        "incidents_data": None,
    }


def unavailable_guild(guild_id: str | int) -> JsonDict:
    """A guild as READY lists it: unavailable until its GUILD_CREATE."""
    return {"id": str(guild_id), "unavailable": True}


def message(
    message_id: str | int,
    channel_id: str | int,
    author: JsonDict,
    *,
    content: str = "",
    embeds: Sequence[JsonDict] = (),
    components: Sequence[JsonDict] = (),
    flags: int = 0,
    guild_id: str | int | None = None,
    nonce: str | int | None = None,
    message_type: int = MESSAGE_DEFAULT,
    webhook_id: str | int | None = None,
    application_id: str | int | None = None,
    interaction_metadata: JsonDict | None = None,
    attachments: Sequence[JsonDict] = (),
    edited_timestamp: str | None = None,
    timestamp: str | None = None,
) -> JsonDict:
    """A message object, as Discord answers a send and puts in MESSAGE_CREATE."""
    payload: JsonDict = {
        "id": str(message_id),
        "type": message_type,
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": timestamp or iso_timestamp(),
        "edited_timestamp": edited_timestamp,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": list(attachments),
        "embeds": list(embeds),
        "components": list(components),
        "pinned": False,
        "flags": flags,
    }
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
    if nonce is not None:
        payload["nonce"] = nonce
    if webhook_id is not None:
        payload["webhook_id"] = str(webhook_id)
    if application_id is not None:
        payload["application_id"] = str(application_id)
    if interaction_metadata is not None:
        payload["interaction_metadata"] = interaction_metadata
    return payload


def interaction_metadata(
    interaction_id: str | int,
    interaction_type: int,
    invoker: JsonDict,
    *,
    authorizing_integration_owners: Mapping[str, str],
    name: str | None = None,
    interacted_message_id: str | int | None = None,
) -> JsonDict:
    """`message.interaction_metadata`: which interaction a message answers."""
    payload: JsonDict = {
        "id": str(interaction_id),
        "type": interaction_type,
        "user": invoker,
        "authorizing_integration_owners": dict(authorizing_integration_owners),
    }
    if name is not None:
        payload["name"] = name
    if interacted_message_id is not None:
        payload["interacted_message_id"] = str(interacted_message_id)
    return payload


def application(
    application_id: str | int,
    name: str,
    bot_user: JsonDict,
    owner: JsonDict,
    *,
    flags: int = 0,
    interactions_endpoint_url: str | None = None,
) -> JsonDict:
    """`GET /oauth2/applications/@me`. A set `interactions_endpoint_url` means Discord posts
    interactions over HTTP instead of the gateway (discord.py warns at login)."""
    return {
        "id": str(application_id),
        "name": name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot": bot_user,
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": owner,
        "flags": flags,
        "hook": True,
        "rpc_origins": [],
        "redirect_uris": [],
        "interactions_endpoint_url": interactions_endpoint_url,
        "role_connections_verification_url": None,
        "tags": [],
        "approximate_guild_count": 0,
        "integration_types_config": {"0": {}},
    }


def application_command(
    command: Mapping[str, Any],
    *,
    command_id: str | int,
    application_id: str | int,
    guild_id: str | int | None,
    version: str | int,
) -> JsonDict:
    """A command as Discord stores and answers it, from what the bot registered."""
    command_type = int(command.get("type", 1))
    payload: JsonDict = {
        "id": str(command_id),
        "application_id": str(application_id),
        "version": str(version),
        "type": command_type,
        "name": command["name"],
        "name_localizations": command.get("name_localizations"),
        "description": command.get("description", "") if command_type == 1 else "",
        "description_localizations": command.get("description_localizations"),
        "default_member_permissions": command.get("default_member_permissions"),
        "nsfw": bool(command.get("nsfw", False)),
        "contexts": command.get("contexts"),
        "integration_types": command.get("integration_types") or [0],
    }
    if command.get("options"):
        payload["options"] = list(command["options"])
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
    else:
        payload["dm_permission"] = command.get("dm_permission", True)
    return payload


# -- gateway ---------------------------------------------------------------------------------


def hello(heartbeat_interval_ms: int = HEARTBEAT_INTERVAL_MS) -> JsonDict:
    return {
        "op": OP_HELLO,
        "d": {"heartbeat_interval": heartbeat_interval_ms},
        "s": None,
        "t": None,
    }


def heartbeat_ack() -> JsonDict:
    return {"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None}


def reconnect() -> JsonDict:
    return {"op": OP_RECONNECT, "d": None, "s": None, "t": None}


def invalid_session(resumable: bool = False) -> JsonDict:
    return {"op": OP_INVALID_SESSION, "d": resumable, "s": None, "t": None}


def dispatch(event: str, data: Any, seq: int) -> JsonDict:
    return {"op": OP_DISPATCH, "t": event, "s": seq, "d": data}


def ready(
    bot_user: JsonDict,
    *,
    session_id: str,
    resume_gateway_url: str,
    application_id: str | int,
    guild_ids: Iterable[str | int],
    shard: tuple[int, int] = (0, 1),
    application_flags: int = 0,
) -> JsonDict:
    """The body of READY: who the bot is, where to resume, which guilds will follow."""
    return {
        "v": API_VERSION,
        "user": {**bot_user, "verified": True, "mfa_enabled": False, "email": None},
        "user_settings": {},
        "guilds": [unavailable_guild(g) for g in guild_ids],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "shard": list(shard),
        "application": {"id": str(application_id), "flags": application_flags},
        "private_channels": [],
        "presences": [],
        "relationships": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["rotterdam"],
        "auth": {},
        "_trace": ['["fake-discord-gateway",{"micros":0}]'],
    }


def resumed() -> JsonDict:
    """The body of RESUMED (discord.py writes into it: it must be an object, not null)."""
    return {"_trace": ['["fake-discord-gateway",{"micros":0}]']}


def guild_members_chunk(
    guild_id: str | int,
    members: Sequence[JsonDict],
    *,
    nonce: str | None = None,
    not_found: Sequence[str] = (),
) -> JsonDict:
    payload: JsonDict = {
        "guild_id": str(guild_id),
        "members": list(members),
        "chunk_index": 0,
        "chunk_count": 1,
    }
    if nonce is not None:
        payload["nonce"] = nonce
    if not_found:
        payload["not_found"] = list(not_found)
    return payload


# -- interaction data and options ------------------------------------------------------------


def option(
    name: str, value: str | int | float | bool, *, option_type: int | None = None
) -> JsonDict:
    """A leaf option; the type follows the value (str 3, bool 5, int 4, float 10) unless
    given (use `user_option` & co. for snowflakes)."""
    if option_type is None:
        if isinstance(value, bool):
            option_type = BOOLEAN
        elif isinstance(value, int):
            option_type = INTEGER
        elif isinstance(value, float):
            option_type = NUMBER
        else:
            option_type = STRING
    return {"name": name, "type": option_type, "value": value}


def user_option(name: str, user_id: str | int) -> JsonDict:
    """A user option; the fake fills `resolved.users` (and `resolved.members` in a guild)."""
    return {"name": name, "type": USER, "value": str(user_id)}


def channel_option(name: str, channel_id: str | int) -> JsonDict:
    return {"name": name, "type": CHANNEL, "value": str(channel_id)}


def role_option(name: str, role_id: str | int) -> JsonDict:
    return {"name": name, "type": ROLE, "value": str(role_id)}


def focused(leaf: JsonDict) -> JsonDict:
    """The option being typed in an autocomplete interaction (its value is the partial text)."""
    return {**leaf, "focused": True}


def subcommand(name: str, *options: JsonDict) -> JsonDict:
    return {"name": name, "type": SUB_COMMAND, "options": list(options)}


def subcommand_group(name: str, *subcommands: JsonDict) -> JsonDict:
    return {"name": name, "type": SUB_COMMAND_GROUP, "options": list(subcommands)}


def walk_options(options: Iterable[JsonDict]) -> Iterator[JsonDict]:
    """The leaf options under (sub)commands and groups."""
    for opt in options:
        if opt.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            yield from walk_options(opt.get("options", []))
        else:
            yield opt


def command_data(
    command_id: str | int,
    name: str,
    *,
    options: Sequence[JsonDict] = (),
    resolved: JsonDict | None = None,
    guild_id: str | int | None = None,
    command_type: int = 1,
    target_id: str | int | None = None,
) -> JsonDict:
    """`data` of an application command (or autocomplete) interaction. `guild_id` is set
    when the command is a guild command (discord.py looks guild commands up by it)."""
    data: JsonDict = {"id": str(command_id), "name": name, "type": command_type}
    if options:
        data["options"] = list(options)
    if resolved:
        data["resolved"] = resolved
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if target_id is not None:
        data["target_id"] = str(target_id)
    return data


def component_data(
    custom_id: str,
    component_type: int = BUTTON,
    *,
    values: Sequence[str] | None = None,
    resolved: JsonDict | None = None,
) -> JsonDict:
    """`data` of a component interaction: a button, or a select with its chosen `values`."""
    data: JsonDict = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = list(values)
    if resolved:
        data["resolved"] = resolved
    return data


def text_input_value(custom_id: str, value: str, *, component_id: int = 1) -> JsonDict:
    """A text input as a modal submission carries it."""
    return {"type": TEXT_INPUT, "id": component_id, "custom_id": custom_id, "value": value}


def action_row(*components: JsonDict, component_id: int = 1) -> JsonDict:
    return {"type": 1, "id": component_id, "components": list(components)}


def label(component: JsonDict, *, component_id: int = 1) -> JsonDict:
    """A Label (type 18) around one input, as submitted when the modal used Labels."""
    return {"type": LABEL, "id": component_id, "component": component}


def modal_submit_data(
    custom_id: str, components: Sequence[JsonDict], *, resolved: JsonDict | None = None
) -> JsonDict:
    data: JsonDict = {"custom_id": custom_id, "components": list(components)}
    if resolved:
        data["resolved"] = resolved
    return data


def partial_guild(guild_id: str | int, *, locale: str = "en-US") -> JsonDict:
    """`interaction.guild`."""
    return {"id": str(guild_id), "locale": locale, "features": []}


def interaction(
    interaction_type: int,
    data: JsonDict | None,
    *,
    interaction_id: str | int,
    token: str,
    application_id: str | int,
    channel: JsonDict,
    invoker: JsonDict,
    guild_id: str | int | None = None,
    member_payload: JsonDict | None = None,
    app_permissions: int = DEFAULT_BOT_PERMISSIONS,
    locale: str = "en-US",
    guild_locale: str = "en-US",
    message_payload: JsonDict | None = None,
    context: int | None = None,
) -> JsonDict:
    """An INTERACTION_CREATE body. In a guild (`guild_id`), `member_payload` (with `user` and
    computed `permissions`) stands for the user and `invoker` is left out; in a DM `invoker` is
    the top-level `user`. `message_payload` is the message a component sat on."""
    in_guild = guild_id is not None
    if context is None:
        context = CONTEXT_GUILD if in_guild else CONTEXT_BOT_DM
    payload: JsonDict = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": interaction_type,
        "token": token,
        "version": 1,
        "channel": channel,
        "channel_id": channel["id"],
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        # Guild install: the guild's id, or "0" when used in the bot's DM.
        "authorizing_integration_owners": {"0": str(guild_id) if in_guild else "0"},
        "context": context,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if data is not None:
        payload["data"] = data
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
        payload["guild"] = partial_guild(guild_id, locale=guild_locale)
        payload["guild_locale"] = guild_locale
        payload["member"] = (
            member_payload if member_payload is not None else member(invoker, permissions=0)
        )
    else:
        payload["user"] = invoker
    if message_payload is not None:
        payload["message"] = message_payload
    return payload


# -- errors ----------------------------------------------------------------------------------

ERROR_MESSAGES: Final[Mapping[int, str]] = {
    0: "General error",
    10003: "Unknown Channel",
    10004: "Unknown Guild",
    10007: "Unknown Member",
    10008: "Unknown Message",
    10013: "Unknown User",
    10015: "Unknown Webhook",
    10062: "Unknown interaction",
    10063: "Unknown application command",
    40001: "Unauthorized",
    40060: "Interaction has already been acknowledged",
    50001: "Missing Access",
    50006: "Cannot send an empty message",
    50007: "Cannot send messages to this user",
    50013: "Missing Permissions",
    50027: "Invalid Webhook Token",
    50035: "Invalid Form Body",
    130000: "API resource is currently overloaded. Try again a little later",
}
"""Discord's JSON error codes and their messages."""


def error_body(code: int, message: str | None = None) -> JsonDict:
    return {"message": message or ERROR_MESSAGES.get(code, "General error"), "code": code}


def invalid_form_body(errors: JsonDict) -> JsonDict:
    """400 50035 with Discord's nested `errors` (`{"field": {"_errors": [...]}}`)."""
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


def field_error(code: str, message: str) -> JsonDict:
    """One entry of `errors`: `{"_errors": [{"code": ..., "message": ...}]}`."""
    return {"_errors": [{"code": code, "message": message}]}


def rate_limited_body(retry_after: float, *, is_global: bool = False, code: int = 0) -> JsonDict:
    """A 429 body: discord.py sleeps `retry_after` seconds (from the body, not the headers)."""
    payload: JsonDict = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": is_global,
    }
    if code:
        payload["code"] = code
    return payload

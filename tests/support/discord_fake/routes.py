"""The REST routes the fake serves, named as discord.py's HTTP methods call them (the names
`fail_next`, `calls_to` and `wait_for` take), and a request as a route handler reads it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from multidict import CIMultiDictProxy

from tests.support.discord_fake.records import Upload


@dataclass
class Request:
    """A REST request as a route's handler reads it: the path's parts by name, the body."""

    method: str
    path: str
    match: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    files: tuple[str, ...]
    headers: CIMultiDictProxy[str]
    uploads: tuple[Upload, ...] = ()


@dataclass(frozen=True)
class Route:
    """A route served: its method, path pattern, name, and whether it needs the bot's token."""

    method: str
    pattern: re.Pattern[str]
    name: str
    authed: bool


def _route(method: str, pattern: str, name: str, *, authed: bool = True) -> Route:
    return Route(method, re.compile(f"^{pattern}$"), name, authed)


_APP = r"/applications/(?P<application_id>\d+)"
_GUILD_COMMANDS = _APP + r"/guilds/(?P<guild_id>\d+)/commands"
_WEBHOOK = r"/webhooks/(?P<application_id>\d+)/(?P<token>[^/]+)"
_WEBHOOK_MESSAGE = _WEBHOOK + r"/messages/(?P<message_id>@original|\d+)"
ROUTES: Final = (
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
    _route("GET", r"/guilds/(?P<guild_id>\d+)/channels", "get_all_guild_channels"),
    _route("GET", r"/guilds/(?P<guild_id>\d+)/roles", "get_roles"),
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
ROUTE_NAMES: Final = frozenset(r.name for r in ROUTES)
"""Names of the routes served, as discord.py's HTTPClient / webhook adapter methods call them
(`execute_webhook` is a followup, `edit_webhook_message` an `@original` or followup edit)."""


def check_route(route: str) -> None:
    """A route name a test gives must be one the fake serves (or "unknown")."""
    if route not in ROUTE_NAMES and route != "unknown":
        raise ValueError(f"no route named {route!r}; routes: {sorted(ROUTE_NAMES)}")


def truthy(value: object) -> bool:
    """A query flag as Discord reads it (`?wait=true`, `?with_response=1`)."""
    return str(value).lower() in ("1", "true")

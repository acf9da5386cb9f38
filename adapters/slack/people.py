"""Who is typing: a Slack user as the core's Actor, from users.info, remembered for a while.

Rules: a workspace's admins and owners are its moderators (the config can name more); someone
from another organisation (Slack Connect: their `team_id` is not the workspace's) is never one
here, whatever they are at home, and neither is anyone Slack does not say the team of; a bot
account is marked as one; the name shown is the display name, else the real name, else the
handle. When Slack cannot say (an outage, an unknown user), the person still gets an answer:
they act under the handle the request carried, and what is stored about them (name, moderator
or not) stands: an outage never demotes a moderator. The people a line mentions (`<@U123>`) are
the ones Slack says who they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

from cachetools import TTLCache
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installs.teams import TeamClients, team_clients
from bot.kernel.model import Actor, MemberRef

PLATFORM = "slack"
PAGE = 200
REMEMBER_SECONDS = 300
"""A promotion to admin or a new display name shows within five minutes."""
_MENTIONS = re.compile(r"<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>")

log = logging.getLogger(__name__)


def actor_from_user(team_id: str, user: dict[str, Any]) -> Actor:
    """The Actor a users.info `user` object describes, in workspace `team_id`."""
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("name") or user["id"]
    moderator = is_workspace_admin(team_id, user)
    is_bot = bool(user.get("is_bot")) or user["id"] == "USLACKBOT"
    return Actor(MemberRef(PLATFORM, team_id, user["id"]), str(name), moderator, is_bot)


def is_workspace_admin(team_id: str, user: dict[str, Any]) -> bool:
    """An admin or owner of workspace `team_id` itself: Slack's flags describe a Slack Connect
    guest's standing in their own organisation, so they count only for a member of this one."""
    home = user.get("team_id")
    if not team_id or home != team_id:
        return False
    return any(user.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))


class SlackPeople:
    def __init__(self, clients: AsyncWebClient | TeamClients, size: int = 10_000) -> None:
        """`clients`: the one client, or each workspace's (a workspace without one is asked
        nothing: its people act under the handle their request carried)."""
        self._clients = team_clients(clients)
        self._known: TTLCache[tuple[str, str], Actor] = TTLCache(size, REMEMBER_SECONDS)

    async def actor(self, team_id: str, user_id: str, handle: str = "") -> Actor:
        """The person behind `user_id` in `team_id`; `handle` is the name the request carried."""
        key = (team_id, user_id)
        if (known := self._known.get(key)) is not None:
            return known
        try:
            client = await self._clients.client(team_id)
            if client is None:
                raise SlackClientError("the workspace has no installation")
            answer = await client.users_info(user=user_id)
        except (SlackApiError, SlackClientError, OSError) as e:
            log.warning("users.info for %s failed: %s", user_id, _short(e))
            ref = MemberRef(PLATFORM, team_id, user_id)
            return Actor(ref, handle or user_id, confirmed=False)
        actor = actor_from_user(team_id, answer["user"])
        self._known[key] = actor
        return actor

    async def mentioned(self, team_id: str, line: str, but: str) -> list[Actor]:
        """The people `line` mentions in `team_id`, other than user `but`, that Slack knows."""
        mentions = set(_MENTIONS.findall(line)) - {but}
        people = [await self.actor(team_id, user_id) for user_id in mentions]
        return [person for person in people if person.confirmed]

    async def moderators(self, team_id: str) -> AsyncIterator[Actor]:
        """The workspace's admins and owners, from users.list (a page at a time, as Slack's
        rate limits allow), so they are moderators before they ever type a command."""
        client = await self._clients.client(team_id)
        cursor = ""
        while client is not None:
            page = await client.users_list(limit=PAGE, cursor=cursor or None)
            for user in page.get("members") or []:
                actor = actor_from_user(team_id, user)
                if actor.is_admin and not actor.is_bot and not user.get("deleted"):
                    self._known[(team_id, actor.ref.user_id)] = actor
                    yield actor
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return

    def forget(self, team_id: str, user_id: str) -> None:
        """Ask Slack again next time (their profile or role changed)."""
        self._known.pop((team_id, user_id), None)


def _short(error: Exception) -> str:
    """One line for the log: Slack's error code, or the exception's kind (never the response
    body, which may carry what a member typed or their profile)."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "an error from Slack"))
    return type(error).__name__

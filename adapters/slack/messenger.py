"""Delivers outbox entries to Slack: DMs through conversations.open, posts to channels.

Rules:
- Slack has no idempotency key, so nothing is resent blindly: a connection that drops after the
  request went out is `Uncertain`, never retried; one that could not be opened is retried;
- Slack's limits are per workspace: about one post a second in each channel (a DM too), and
  each method its tier (conversations.open Tier 3, 50 a minute; users.info Tier 4, 100 a
  minute); each send names the ones it falls under (`paces`), and the outbox keeps to them,
  shared between instances, so a busy kudos channel is never flooded while other channels and
  other workspaces keep flowing;
- a 429 hands Slack's Retry-After to the outbox as given, for the method and workspace it came
  from (conversations.open, or chat.postMessage, which also has a workspace-wide limit), not
  the whole platform;
- an answer that will not change on a retry (deactivated account, unknown channel, the app not
  in the channel) is `Failed` with a reason a moderator can act on; Slack refusing the bot's own
  token holds all sending (nobody is marked unreachable for it); a post Slack answers with a
  server error may have gone out, so it is `Uncertain`;
- with "Add to Slack" each message goes with its workspace's bot token (adapters.slack.installs);
  a workspace with no installation (uninstalled), or whose token Slack refuses, fails the
  message and every message waiting for that workspace (`whole_workspace`), nothing retried;
- a delivered DM refreshes its reader's App Home;
- the people a message quotes a defused mention of (a concern naming someone) are shown by
  their name, asked of Slack (users.info, remembered), so the post reads right and pings nobody.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence

import aiohttp
from cachetools import LRUCache
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installs.teams import TeamClients, team_clients
from adapters.slack.mrkdwn import defused_mentions
from adapters.slack.people import PLATFORM, SlackPeople
from adapters.slack.render import message_payload
from bot.kernel.model import OutboxEntry
from bot.kernel.ports import Delivery, Failed, Pace, RetryLater, Sent, Uncertain

log = logging.getLogger(__name__)

PERMANENT: dict[str, str] = {
    "user_disabled": "their Slack account is deactivated",
    "user_not_found": "Slack does not know this user any more",
    "users_not_found": "Slack does not know this user any more",
    "cannot_dm_bot": "it is a bot account",
    "channel_not_found": "the channel does not exist or the app cannot see it",
    "not_in_channel": "the app is not in the channel; invite it with /invite",
    "is_archived": "the channel is archived",
    "restricted_action": "the workspace does not allow the app to post there",
    "msg_too_long": "the message is too long for Slack",
    "no_text": "the message was empty",
}
TOKEN_REFUSED = frozenset(
    {"account_inactive", "invalid_auth", "not_authed", "token_revoked", "token_expired"}
)
"""Slack refuses the bot's own token: no message can go until an administrator fixes it."""
TOKEN_HOLD_SECONDS = 300.0
UNKNOWN_OUTCOME = frozenset({"internal_error", "fatal_error", "request_timeout"})
"""Slack's docs say part of the operation may have succeeded: a post may be there."""
FALLBACK_RETRY_SECONDS = 30.0
POSTS_PER_SECOND_IN_A_CHANNEL = 1.0
"""chat.postMessage, Slack's "special" tier: about one message a second per channel."""
TIER_3 = 50
"""conversations.open: 50 or more a minute per workspace (Slack counts per minute: a minute's
worth may go at once)."""
TIER_4 = 100
"""users.info: 100 or more a minute per workspace."""
NOT_INSTALLED = Failed(
    "not sent: the app is not installed in this Slack workspace (uninstalled, or its token "
    "revoked); install it again to resume",
    whole_workspace=True,
)
_CHANNEL_LINK = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$")


def channel_id(target: str) -> str:
    """A channel setting as Slack's API takes it: `<#C123|name>` → C123, `#name` → name."""
    if match := _CHANNEL_LINK.match(target):
        return match.group(1)
    return target.removeprefix("#")


class SlackMessenger:
    platform = PLATFORM
    resend_is_safe = False

    def __init__(
        self,
        clients: AsyncWebClient | TeamClients,
        max_per_second: float,
        on_dm_delivered: Callable[[str, str], None] = lambda team, user: None,
        people: SlackPeople | None = None,
        posts_per_second_in_a_channel: float = POSTS_PER_SECOND_IN_A_CHANNEL,
    ) -> None:
        """`clients` (the one client, or each workspace's) must have no retry handlers: retrying
        a post is this class's decision; `people` names the people a message quotes (by default
        asked through `clients`)."""
        self._clients = team_clients(clients)
        self._people = people or SlackPeople(self._clients)
        self.max_per_second: float | None = max_per_second
        self._on_dm_delivered = on_dm_delivered
        self._dm_channels: LRUCache[tuple[str, str], str] = LRUCache(50_000)
        self._in_a_channel = posts_per_second_in_a_channel

    def paces(self, entry: OutboxEntry) -> Sequence[Pace]:
        """The channel the post goes to, the workspace's posts (held only by a 429), and the
        methods it calls first: conversations.open for a DM not opened yet, users.info for the
        people it quotes."""
        team, target = entry.destination.workspace.workspace_id, entry.destination.target
        where = f"dm:{target}" if entry.destination.kind == "dm" else channel_id(target)
        paces = [
            Pace(f"{PLATFORM}:{team}:channel:{where}", self._in_a_channel),
            Pace(method_key(team, "chat.postMessage")),
        ]
        if entry.destination.kind == "dm" and (team, target) not in self._dm_channels:
            paces.append(Pace(method_key(team, "conversations.open"), TIER_3 / 60, TIER_3))
        if defused_mentions(entry.text):
            paces.append(Pace(method_key(team, "users.info"), TIER_4 / 60, TIER_4))
        return paces

    async def send(self, entry: OutboxEntry) -> Delivery:
        target = entry.destination.target
        team = entry.destination.workspace.workspace_id
        client = await self._clients.client(team)
        if client is None:
            return NOT_INSTALLED
        try:
            if entry.destination.kind == "dm":
                channel = await self._dm_channel(client, team, target)
            else:
                channel = channel_id(target)
            if not channel:
                return Failed("no channel is set")
        except SlackApiError as e:
            return await self._refused(
                team, client, e, scope=method_key(team, "conversations.open")
            )
        except aiohttp.ClientConnectorError as e:
            return RetryLater(FALLBACK_RETRY_SECONDS, f"cannot reach Slack: {e}")
        except (aiohttp.ClientError, TimeoutError) as e:
            # Opening a DM twice is harmless: nothing was posted yet.
            return RetryLater(FALLBACK_RETRY_SECONDS, f"Slack did not answer: {e!r}"[:200])
        outcome = await self._post(client, channel, entry)
        if isinstance(outcome, Sent) and entry.destination.kind == "dm":
            self._on_dm_delivered(entry.destination.workspace.workspace_id, target)
        return outcome

    async def _post(self, client: AsyncWebClient, channel: str, entry: OutboxEntry) -> Delivery:
        team = entry.destination.workspace.workspace_id
        names = await self._names(team, entry.text)
        try:
            await client.chat_postMessage(
                channel=channel,
                **message_payload(entry.text, entry.actions, names),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as e:
            return await self._refused(
                team, client, e, posting=True, scope=method_key(team, "chat.postMessage")
            )
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as e:
            return RetryLater(FALLBACK_RETRY_SECONDS, f"cannot reach Slack: {e!r}"[:200])
        except (aiohttp.ClientError, TimeoutError) as e:
            return Uncertain(f"the connection broke after sending: {e!r}"[:200])
        return Sent()

    async def _names(self, team_id: str, text: str) -> dict[str, str]:
        """The names of the people `text` quotes a defused mention of, that Slack knows."""
        try:
            people = [await self._people.actor(team_id, user) for user in defused_mentions(text)]
        except aiohttp.ClientError:
            return {}  # shown by the name the mention carried, else as "someone"
        return {p.ref.user_id: p.display_name for p in people if p.confirmed}

    async def _dm_channel(self, client: AsyncWebClient, team: str, user_id: str) -> str:
        if (known := self._dm_channels.get((team, user_id))) is not None:
            return known
        answer = await client.conversations_open(users=user_id)
        channel = str(answer["channel"]["id"])
        self._dm_channels[(team, user_id)] = channel
        return channel

    async def _refused(
        self,
        team: str,
        client: AsyncWebClient,
        error: SlackApiError,
        *,
        scope: str,
        posting: bool = False,
    ) -> Delivery:
        """With a token for each workspace, Slack refusing one is that workspace gone (the
        app uninstalled, the token revoked), not the bot's own token to fix; unless the
        workspace has installed the app again meanwhile (through another instance, whose
        install this one had not heard of): then it is sent again, with the new token (Slack
        refused it, so nothing went out)."""
        code = str(error.response.get("error", "")) if error.response is not None else ""
        if not (self._clients.per_workspace and code in TOKEN_REFUSED):
            return _refused(error, scope=scope, posting=posting)
        self._clients.forget(team)
        fresh = await self._clients.client(team)
        if fresh is not None and fresh.token != client.token:
            return RetryLater(0.0, "the workspace installed the app again: its new token")
        return NOT_INSTALLED


def method_key(team_id: str, method: str) -> str:
    """The budget's key for one Web API method in one workspace (Slack's limits are per method
    per workspace)."""
    return f"{PLATFORM}:{team_id}:method:{method}"


def _refused(error: SlackApiError, *, scope: str, posting: bool = False) -> Delivery:
    """What Slack's refusal means for the outbox. `scope`: the method and workspace a 429 holds.
    `posting`: the refused call was the post itself, so an answer that leaves its outcome open
    must not lead to a second post."""
    response = error.response
    status = response.status_code if response is not None else 0
    code = str(response.get("error", "")) if response is not None else ""
    if status == 429:
        wait = _retry_after(response.headers)
        return RetryLater(wait, "rate limited by Slack", throttled=True, scope=scope)
    if code in TOKEN_REFUSED:
        log.error("Slack refuses the bot token (%s): fix SLACK_BOT_TOKEN; sending is held", code)
        return RetryLater(TOKEN_HOLD_SECONDS, f"Slack refuses the bot token ({code})", True)
    if code in PERMANENT:
        return Failed(f"{PERMANENT[code]} ({code})")
    if posting and (code in UNKNOWN_OUTCOME or status >= 500):
        return Uncertain(f"Slack answered {code or status}; the post may be there")
    log.warning("Slack refused a message: %s", code or error)
    return RetryLater(FALLBACK_RETRY_SECONDS, f"Slack answered {code or status}"[:200])


def _retry_after(headers: object) -> float:
    """Slack's Retry-After in seconds, whatever the header's case."""
    items = headers.items() if isinstance(headers, Mapping) else []
    for name, value in items:
        if str(name).lower() == "retry-after":
            try:
                return float(value[0] if isinstance(value, list) else value)
            except ValueError:
                break
    return FALLBACK_RETRY_SECONDS

"""The App Home tab: my circles, my buddies, my open check-in and recent kudos.

Rules: it is published when the member opens it, and again whenever something reaches them or
they do something (a DM delivered, a command run), but only for people who opened it since this
process started (the others get it fresh when they open it); refreshes for one person never run
two at a time, and a burst of changes ends in one more publish, so the last view is current.
Each part's heading is the home's own words in bold, the one formatting it writes; what the
parts show is drawn like any text (adapters.slack.mrkdwn), so nothing a member typed formats.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import Block, edit_profile_button, plain, sections
from adapters.slack.installs.teams import TeamClients, team_clients
from adapters.slack.people import SlackPeople
from bot.home.commands import ShowHome
from bot.kernel.replies import HomeSummary
from bot.runtime.bus import MessageBus

OPEN_CHECKIN = "home:checkin"
FIND_BUDDY = "home:findbuddy"
LINES_PER_PART = 10

log = logging.getLogger(__name__)


def home_view(summary: HomeSummary) -> dict[str, Any]:
    blocks: list[Block] = [{"type": "header", "text": plain("Mentor Circles", 150)}]
    if summary.paused_until:
        blocks += sections(f"You are paused until {summary.paused_until}. /pause off resumes.")
    if summary.checkin is not None:
        blocks += _part("Your check-in", [summary.checkin.title])
        blocks.append(_buttons(_button("Answer", OPEN_CHECKIN, primary=True)))
    blocks += _part("Your circles", list(summary.circles), "None yet: /circle list shows them.")
    buddies = list(summary.buddies) + (
        [summary.waiting_for_buddy] if summary.waiting_for_buddy else []
    )
    blocks += _part("Your buddies", buddies, "None yet.")
    blocks.append(_buttons(_button("Find a buddy", FIND_BUDDY), edit_profile_button()))
    blocks += _part("Kudos for you", list(summary.kudos), "None yet.")
    return {"type": "home", "blocks": blocks}


def _part(title: str, lines: list[str], empty: str = "") -> list[Block]:
    if not lines and not empty:
        return []
    shown = lines[:LINES_PER_PART] or [empty]
    heading: Block = {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}}
    return [{"type": "divider"}, heading, *sections("\n".join(shown), private=True)]


def _button(label: str, action_id: str, *, primary: bool = False) -> Block:
    block: Block = {"type": "button", "text": plain(label), "action_id": action_id}
    if primary:
        block["style"] = "primary"
    return block


def _buttons(*elements: Block) -> Block:
    return {"type": "actions", "elements": list(elements)}


class HomePublisher:
    def __init__(
        self, bus: MessageBus, clients: AsyncWebClient | TeamClients, people: SlackPeople
    ) -> None:
        self._bus = bus
        self._clients = team_clients(clients)
        self._people = people
        self._readers: set[tuple[str, str]] = set()
        self._running: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._again: set[tuple[str, str]] = set()

    async def opened(self, team_id: str, user_id: str) -> None:
        """They opened the tab: publish now, and keep it fresh from here on."""
        self._readers.add((team_id, user_id))
        await self.publish(team_id, user_id)

    def touch(self, team_id: str, user_id: str) -> None:
        """Something of theirs changed: refresh their tab soon if they read it."""
        key = (team_id, user_id)
        if key not in self._readers:
            return
        if key in self._running:
            self._again.add(key)
            return
        self._running[key] = asyncio.create_task(self._refresh(key))

    @property
    def busy(self) -> bool:
        return bool(self._running)

    async def settle(self) -> None:
        """Wait until no refresh is under way (tests; shutting down)."""
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def publish(self, team_id: str, user_id: str) -> None:
        actor = await self._people.actor(team_id, user_id)
        reply = await self._bus.handle(ShowHome(actor))
        if reply.home is None:
            log.warning("no home for %s: %s", user_id, reply.text)
            return
        try:
            client = await self._clients.client(team_id)
            if client is None:
                return  # the workspace uninstalled the app
            await client.views_publish(user_id=user_id, view=home_view(reply.home))
        except (SlackApiError, SlackClientError, OSError) as e:
            log.warning("views.publish for %s failed: %s", user_id, e)

    async def _refresh(self, key: tuple[str, str]) -> None:
        try:
            while True:
                self._again.discard(key)
                await self.publish(*key)
                if key not in self._again:
                    return
        finally:
            del self._running[key]

"""The journey on Slack: each console line typed as its slash command (or `/circles ...`), through
the real adapter against the fake, and drawn as Slack draws mrkdwn: people and channels by name,
formatting-safe dates and entities as the characters they stand for, a message as its sections
and its buttons."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.slack.command_text import slack_line
from bot.kernel.command_refs import CommandRef
from tests.support import slack_payloads
from tests.support.schools import slack_school
from tests.support.screens.journey import ONE_AT_A_TIME, Seen, moved_on, screen
from tests.support.settings import START
from tests.support.slack_harness import SlackHarness, slack_harness

SLACK_PEOPLE = {"ada": "UADA", "ben": "UBEN", "maya": "UMAYA", "ines": "UINES"}
SLACK_CHANNELS = {"CALGEBRA": "algebra"}
_SLACK_LINK = re.compile(r"<([@#])(\w+)(?:\|([^>]*))?>")
_SLACK_DATE = re.compile(r"<!date\^0\^\{_\}\|(.)>")


def slack_drawn(mrkdwn: str) -> str:
    """Slack's mrkdwn as Slack draws it: people, channels, safe dates, then the entities."""
    names = {v: k for k, v in SLACK_PEOPLE.items()} | SLACK_CHANNELS

    def link(m: re.Match[str]) -> str:
        return m.group(1) + (m.group(3) or names.get(m.group(2), m.group(2)))

    text = _SLACK_DATE.sub(r"\1", _SLACK_LINK.sub(link, mrkdwn))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _slack_seen(where: str, message: Mapping[str, Any]) -> Seen:
    blocks = message.get("blocks") or []
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    buttons = tuple(
        e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]
    )
    text = "\n".join(sections) if sections else str(message.get("text") or "")
    return Seen(where, slack_drawn(text), buttons)


@dataclass
class SlackStage:
    harness: SlackHarness
    _seen: int = 0

    def mention(self, who: str) -> str:
        return f"<@{SLACK_PEOPLE[who]}|{who}>"

    def typed(self, line: str) -> str:
        return slack_drawn(slack_line(CommandRef(line)))

    async def type(self, who: str, line: str) -> Seen:
        command, _, text = slack_line(CommandRef(line)).partition(" ")
        reply = await self.harness.reply_to(SLACK_PEOPLE[who], command, text)
        private = reply.get("response_type", "ephemeral") == "ephemeral"
        return _slack_seen(f"only {who} sees this" if private else "in the channel", reply)

    async def later(self, after: timedelta) -> datetime:
        return await moved_on(self.harness, after)

    async def press(self, who: str, label: str) -> Seen:
        fake, user = self.harness.fake, SLACK_PEOPLE[who]
        message, button = next(
            (m, e)
            for m in reversed(fake.posted)
            if m.channel == f"D{user}"
            for b in m.blocks or []
            if b["type"] == "actions"
            for e in b["elements"]
            if e["text"]["text"] == label
        )
        response_url = fake.new_response_url()
        pressed = slack_payloads.block_action(
            button["action_id"],
            button["value"],
            user,
            trigger_id=fake.new_trigger_id(user),
            response_url=response_url,
            container=slack_payloads.message_container(message.channel, message.ts),
        )
        pressed["message"].update(text=message.text, blocks=message.blocks)
        await self.harness.interact(pressed)
        await self.harness.settle()
        [answer] = fake.responses_to(response_url)
        replaced = answer.get("replace_original") is True
        return _slack_seen("the message becomes" if replaced else f"only {who} sees this", answer)

    def messages(self) -> list[Seen]:
        posted = self.harness.fake.posted[self._seen :]
        self._seen = len(self.harness.fake.posted)
        return [_slack_seen(self._where(m.channel, m.ephemeral_user), vars(m)) for m in posted]

    @staticmethod
    def _where(channel: str, ephemeral_user: str | None) -> str:
        people = {v: k for k, v in SLACK_PEOPLE.items()}
        if ephemeral_user is not None:
            return f"only {people.get(ephemeral_user, ephemeral_user)} sees this"
        if channel.startswith("D"):
            return f"DM to {people.get(channel[1:], channel[1:])}"
        return f"posted in #{SLACK_CHANNELS.get(channel, channel)}"


async def slack_screen(tmp_path: Path) -> str:
    """The journey on Slack, in the adapter tests' workspace (tests/support/schools.py)."""
    async with slack_harness(
        tmp_path,
        START,
        workspace=slack_school,
        moderators=["slack:T0001:UMORGAN"],
        outbox=ONE_AT_A_TIME,
    ) as harness:
        await harness.settle()
        return await screen(SlackStage(harness))

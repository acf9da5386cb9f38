"""The journey on Discord: each console line sent as its command and options, through the real
adapter against the fake with the bot's commands installed, and drawn as Discord draws a message:
commands, people, roles and channels by name, markdown escapes as the characters, and its
buttons."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.discord.command_text import NO_IDS
from adapters.discord.surface import command_definitions, discord_name
from adapters.shared.named_commands import named_command
from bot.kernel.command_refs import CommandRef
from bot.kernel.commands import Kind
from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord
from tests.support.discord_harness import CHANNEL, DiscordHarness, discord_harness
from tests.support.schools import (
    ADA,
    ALGEBRA_CHANNEL,
    BEN,
    INES,
    MAYA,
    MENTOR_TEAM,
    RORY,
    discord_school,
)
from tests.support.screens.journey import ONE_AT_A_TIME, Seen, moved_on, screen
from tests.support.settings import START

DISCORD_PEOPLE = {"ada": ADA, "ben": BEN, "maya": MAYA, "ines": INES, "rory": RORY}
DISCORD_CHANNELS = {CHANNEL: "general", ALGEBRA_CHANNEL: "algebra"}
DISCORD_ROLES = {MENTOR_TEAM: "Mentor Team"}
_DISCORD_MARKUP = re.compile(r"</([-\w ]+):\d+>|<@!?(\d+)>|<@&(\d+)>|<#(\d+)>")
_DISCORD_ESCAPE = re.compile(r"\\([\\*_~`|>#\-\[\]()])")


def discord_drawn(content: str) -> str:
    """A Discord message as Discord draws it: commands, people, roles and channels by name, and
    markdown escapes as the characters."""
    people = {v: k for k, v in DISCORD_PEOPLE.items()}

    def named(m: re.Match[str]) -> str:
        command, person, role, channel = m.groups()
        if command:
            return f"/{command}"
        if person:
            return f"@{people.get(person, person)}"
        if role:
            return f"@{DISCORD_ROLES.get(role, role)}"
        return f"#{DISCORD_CHANNELS.get(channel, channel)}"

    return _DISCORD_ESCAPE.sub(r"\1", _DISCORD_MARKUP.sub(named, content))


def _discord_seen(where: str, message: Mapping[str, Any]) -> Seen:
    buttons = tuple(
        c["label"]
        for row in message.get("components") or []
        for c in row.get("components", [])
        if "label" in c
    )
    return Seen(where, discord_drawn(str(message.get("content") or "")), buttons)


def _options(line: str) -> tuple[str, str | None, list[dict[str, Any]]]:
    """The command, subcommand and options Discord sends for a console line."""
    named = named_command(CommandRef(line))
    assert named is not None, line
    name, sub = discord_name(named.spec)
    options = []
    for given in named.given:
        if given.value is None:
            continue
        if given.param.kind is Kind.PERSON:
            options.append(p.user_option(given.param.name, given.value.strip("<@!>")))
        elif given.param.kind is Kind.NUMBER:
            options.append(p.option(given.param.name, int(given.value)))
        else:
            options.append(p.option(given.param.name, given.value))
    return name, sub, options


@dataclass
class DiscordStage:
    harness: DiscordHarness
    _seen: int = 0

    def mention(self, who: str) -> str:
        return f"<@{DISCORD_PEOPLE[who]}>"

    def typed(self, line: str) -> str:
        return discord_drawn(NO_IDS.write(CommandRef(line)))

    async def type(self, who: str, line: str) -> Seen:
        name, sub, options = _options(line)
        sent = await self.harness.command(DISCORD_PEOPLE[who], name, sub, *options)
        return self._answer(who, sent.id)

    async def later(self, after: timedelta) -> datetime:
        return await moved_on(self.harness, after)

    async def press(self, who: str, label: str) -> Seen:
        fake, user = self.harness.fake, DISCORD_PEOPLE[who]
        message, button = next(
            (m, c)
            for m in reversed(fake.messages.get(fake.dm_channel_id(user), []))
            for row in m.components
            for c in row.get("components", [])
            if c.get("label") == label
        )
        pressed = await fake.send_component(button["custom_id"], user, message_id=message.id)
        await self.harness.answered(pressed)
        return self._answer(who, pressed.id)

    def _answer(self, who: str, interaction_id: str) -> Seen:
        """The answer to an interaction: its response's message (unless it was deferred) and
        the follow-ups after it (a deferred answer, or the rest of a reply too long for one
        message), as one text."""
        fake = self.harness.fake
        [accepted] = [c for c in fake.callbacks[interaction_id] if c.accepted]
        answer: dict[str, Any] = {}
        kind = p.CHANNEL_MESSAGE_WITH_SOURCE
        texts: list[str] = []
        if (accepted.data or {}).get("content") is not None:
            answer, kind = dict(accepted.data or {}), accepted.type
            texts.append(str(answer["content"]))
        for followup in fake.followups.get(interaction_id, []):
            texts.append(followup.content or "")
            answer = answer or {"components": followup.components, "flags": followup.flags}
        answer["content"] = "\n".join(texts)
        if kind == p.UPDATE_MESSAGE:
            return _discord_seen("the message becomes", answer)
        private = int(answer.get("flags") or 0) & p.EPHEMERAL
        return _discord_seen(f"only {who} sees this" if private else "in the channel", answer)

    def messages(self) -> list[Seen]:
        fake = self.harness.fake
        sent = [c for c in fake.calls if c.route == "send_message" and c.status < 300]
        new, self._seen = sent[self._seen :], len(sent)
        return [_discord_seen(self._where(c.answer["channel_id"]), c.answer) for c in new]

    def _where(self, channel: str) -> str:
        fake = self.harness.fake
        for who, user in DISCORD_PEOPLE.items():
            if fake.dm_channel_id(user) == channel:
                return f"DM to {who}"
        recipient = fake.dm_recipient(channel)
        if recipient is not None:  # someone the journey does not follow: a moderator
            return f"DM to {recipient}"
        return f"posted in #{DISCORD_CHANNELS.get(channel, channel)}"


def _school_with_commands(fake: FakeDiscord) -> None:
    """The adapter tests' server, with the bot's commands installed, as after `circles discord
    sync`: the bot names them as clickable commands."""
    discord_school(fake)
    fake._overwrite_commands(None, command_definitions())


async def discord_screen(tmp_path: Path) -> str:
    """The journey on Discord, in the adapter tests' server (tests/support/schools.py)."""
    async with discord_harness(
        tmp_path,
        START,
        _school_with_commands,
        discord={"moderator_roles": ["Mentor Team"]},
        outbox=ONE_AT_A_TIME,
    ) as harness:
        return await screen(DiscordStage(harness))

"""What a student sees on Slack and on Discord, captured from the fakes for docs/slack.md and
docs/discord.md: one short journey, run through each real adapter, written down as the person
reads it.

The journey is written once, as console lines (`/findbuddy algebra`); each platform types them
its own way (Slack its slash command or `/circles ...`, Discord its command and options, the
way the bot itself names commands) and draws what comes back: people as @name, channels as
#name, commands as typed, Slack's entities and formatting-safe dates as the characters they
stand for, buttons as `[label]`. Long replies are cut to their first lines.

Rules:
- time is the tests' pinned START, moved only by the journey's own "later" steps;
- the outbox sends one message at a time, so messages are shown in the order the bot queued
  them, the same on every run;
- what a step does not show (a moderator setting up a circle) is run quietly, and its replies
  and messages are left out.

`python -m tests.support.screens` rewrites the ```text block under "## What a student sees" in
each document; tests/adapters/test_docs_screens.py fails while a document shows something else.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import textwrap
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from adapters.discord.command_text import NO_IDS
from adapters.discord.surface import command_definitions, discord_name
from adapters.shared.named_commands import named_command
from adapters.slack.command_text import slack_line
from bot.kernel.command_refs import CommandRef
from bot.kernel.commands import Kind
from tests.support import discord_payloads as p
from tests.support import slack_payloads
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
    slack_school,
)
from tests.support.settings import START
from tests.support.slack_harness import SlackHarness, slack_harness

ROOT = Path(__file__).parents[3]
DOCS = {"slack": ROOT / "docs" / "slack.md", "discord": ROOT / "docs" / "discord.md"}
HEADING = "## What a student sees"
WIDTH = 100
ONE_AT_A_TIME = {"concurrency": 1}
"""The outbox's settings for the capture: one send at a time, in the order the bot queued them."""


# The journey, as console lines; {name} is that person, mentioned as the platform sends it.


@dataclass(frozen=True)
class Types:
    who: str
    line: str
    first_lines: int | None = None
    """Show only this many lines of the reply (the help lists every command)."""


@dataclass(frozen=True)
class Quietly:
    """Something that sets the scene, not shown."""

    who: str
    line: str


@dataclass(frozen=True)
class Later:
    after: timedelta
    what: str


@dataclass(frozen=True)
class Presses:
    who: str
    label: str


Step = Types | Quietly | Later | Presses

JOURNEY: tuple[Step, ...] = (
    Types("ada", "/help", first_lines=4),
    Types("ada", "/profile set subjects algebra"),
    Types("ada", "/findbuddy algebra"),
    Types("ben", "/findbuddy algebra"),
    Types("ines", "/kudos {ada} thanks for explaining fractions so clearly"),
    Later(timedelta(days=3), "Three days later"),
    Presses("ada", "We met"),
    Quietly("ines", "/circle create mentoring"),
    Quietly("ines", "/circle set mentoring cadence weekly"),
    Quietly("ines", "/circle set mentoring day fri"),
    Quietly("ines", "/circle set mentoring time 10:30"),
    Quietly("maya", "/profile set role mentor"),
    Quietly("maya", "/circle join mentoring as mentor"),
    Later(
        timedelta(hours=1), "An hour later, the check-in of maya's weekly mentoring circle opens"
    ),
)


@dataclass(frozen=True)
class Seen:
    """One thing someone sees: where (`only ada sees this`, `DM to ben`), its text as drawn and
    its buttons."""

    where: str
    text: str
    buttons: tuple[str, ...] = ()

    def lines(self, first_lines: int | None = None) -> list[str]:
        text = self.text.split("\n")
        if first_lines is not None and len(text) > first_lines:
            text = [*text[:first_lines], "… (cut here for this page)"]
        wrapped = [
            piece
            for line in text
            for piece in textwrap.wrap(
                line,
                WIDTH,
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        ]
        shown = [f"  {self.where}:", *wrapped]
        if self.buttons:
            shown.append("    " + " ".join(f"[{label}]" for label in self.buttons))
        return shown


class Stage(Protocol):
    """A platform's adapter against its fake, as the journey drives it."""

    def mention(self, who: str) -> str: ...

    def typed(self, line: str) -> str:
        """The line as a person types it on this platform, drawn as they see it."""
        ...

    async def type(self, who: str, line: str) -> Seen: ...

    async def later(self, after: timedelta) -> datetime:
        """Move time on and run what fell due; the time now."""
        ...

    async def press(self, who: str, label: str) -> Seen: ...

    def messages(self) -> list[Seen]:
        """What the bot sent since the last call, in order."""
        ...


async def screen(stage: Stage) -> str:
    """The journey on `stage`, as lines to read."""
    out = [f"({_when(START)})"]
    stage.messages()
    for step in JOURNEY:
        if isinstance(step, Quietly):
            await stage.type(step.who, _with_people(step.line, stage))
            stage.messages()
            continue
        out.append("")
        if isinstance(step, Types):
            line = _with_people(step.line, stage)
            out.append(f"{step.who} types {stage.typed(line)}")
            out += (await stage.type(step.who, line)).lines(step.first_lines)
        elif isinstance(step, Later):
            now = await stage.later(step.after)
            out.append(f"({_when(now)}) {step.what}")
        else:
            out.append(f"{step.who} presses [{step.label}]")
            out += (await stage.press(step.who, step.label)).lines()
        out += [line for seen in stage.messages() for line in seen.lines()]
    return "\n".join(out) + "\n"


def _with_people(line: str, stage: Stage) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: stage.mention(m.group(1)), line)


async def _moved_on(harness: SlackHarness | DiscordHarness, after: timedelta) -> datetime:
    harness.clock.advance(after)
    await harness.app.due.run_due()
    await harness.settle()
    return harness.clock.now()


def _when(now: datetime) -> str:
    return f"{now:%a} {now.day} {now:%b}, {now:%H:%M} UTC"


# Slack


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
        return await _moved_on(self.harness, after)

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


# Discord


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
        return await _moved_on(self.harness, after)

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
        """The answer to an interaction: its followup when it was deferred, else its response."""
        fake = self.harness.fake
        followups = fake.followups.get(interaction_id, [])
        answer: dict[str, Any]
        if followups:
            last = followups[-1]
            answer = {"content": last.content, "components": last.components, "flags": last.flags}
            kind = p.CHANNEL_MESSAGE_WITH_SOURCE
        else:
            [accepted] = [c for c in fake.callbacks[interaction_id] if c.accepted]
            answer, kind = accepted.data or {}, accepted.type
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


SCREENS: dict[str, Callable[[Path], Awaitable[str]]] = {
    "slack": slack_screen,
    "discord": discord_screen,
}


# The documents


def _block(text: str, path: Path) -> tuple[int, int]:
    """Where the ```text block under HEADING starts and ends (its contents)."""
    heading = text.find(f"\n{HEADING}\n")
    opening = text.find("\n```text\n", heading)
    if heading < 0 or opening < 0:
        raise LookupError(f"{path}: no ```text block under {HEADING!r}")
    start = opening + len("\n```text\n")
    return start, text.index("\n```", start - 1) + 1


def documented(platform: str) -> str:
    """What the platform's document shows a student sees."""
    path = DOCS[platform]
    text = path.read_text(encoding="utf-8")
    start, end = _block(text, path)
    return text[start:end]


def _rewrite(path: Path, shown: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = _block(text, path)
    path.write_text(text[:start] + shown + text[end:], encoding="utf-8")


async def _capture(platforms: Sequence[str]) -> dict[str, str]:
    shown = {}
    with tempfile.TemporaryDirectory() as folder:
        for platform in platforms:
            (Path(folder) / platform).mkdir()
            shown[platform] = await SCREENS[platform](Path(folder) / platform)
    return shown


def write() -> None:
    """Capture the journey on every platform and write it into its document."""
    for platform, shown in asyncio.run(_capture(list(SCREENS))).items():
        _rewrite(DOCS[platform], shown)
        print(f"{DOCS[platform].relative_to(ROOT)}: {HEADING.removeprefix('## ')} rewritten")

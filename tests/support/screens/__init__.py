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

One module per job:

| module | job |
|---|---|
| `journey.py` | the journey's steps, what someone sees (`Seen`), a platform's `Stage`, `screen` |
| `slack.py` | Slack's stage and how Slack draws a message; `slack_screen` |
| `discord.py` | Discord's stage and how Discord draws a message; `discord_screen` |
| `documents.py` | reading and rewriting the documents' block: `documented`, `write` |
| `__main__.py` | `python -m tests.support.screens` |
"""

from tests.support.screens.discord import discord_screen
from tests.support.screens.documents import SCREENS, documented, write
from tests.support.screens.journey import JOURNEY, Seen, Stage, screen
from tests.support.screens.slack import slack_screen

__all__ = [
    "JOURNEY",
    "SCREENS",
    "Seen",
    "Stage",
    "discord_screen",
    "documented",
    "screen",
    "slack_screen",
    "write",
]

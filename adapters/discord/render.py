"""The core's text and replies as Discord messages.

Rules:
- every text the bot sends is drawn `for_discord`: no masked link (`[label](url)` reads as
  typed, the URL in plain sight), no bidirectional control character, at most 2,000
  characters; and no message allows a mention (`SILENT`), so none pings anyone;
- so a person, a role or a channel a text names is shown as Discord draws it (a name, not
  `<@123>`): the core defused every `<@id>`, `<@!id>`, `<@&id>` and `<#id>` as its last guard
  for every platform, and here, where they ping nobody, they are put back. `@everyone` and
  `@here` stay defused, written as typed;
- a reply carries a line under its text for each file left off, its buttons, and "Edit
  profile" when it carries the profile form; it never previews a link.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.discord.command_text import KNOWN_COMMANDS
from adapters.discord.components import buttons
from adapters.discord.files import fitting_files
from adapters.discord.markdown import literal_markdown
from adapters.shared.pieces import pieces
from bot.kernel.model import Action
from bot.kernel.replies import Reply
from bot.kernel.text import without_bidi_controls
from bot.profile.form import PROFILE_FORM

MESSAGE_LIMIT = 2000
EDIT_PROFILE = "profile-edit"
"""The custom id of a reply's "Edit profile" button is `profile-edit:<server id>`."""
SILENT = discord.AllowedMentions.none()
_MASKED_LINK = re.compile(r"\](?=\()")
_DEFUSED_MENTION = re.compile(r"<\u200b(@[!&]?\d{5,25}|#\d{5,25})>")
"""A person (`<@id>`, `<@!id>`), a role (`<@&id>`) or a channel (`<#id>`) the core defused."""


def for_discord(text: str) -> str:
    """`text` as the bot shows it on Discord, in a message or a reply: Discord draws `[label](url)`
    as `label` linking to `url` (a link disguised as anything, say "the secure safeguarding
    form"), so a zero-width space goes between `]` and `(` and the text reads as typed, the URL
    shown for what it is; people, roles and channels are shown as Discord draws them (sent
    `SILENT`, they ping nobody); markdown a member typed is shown as typed
    (adapters.discord.markdown); every command the text names is Discord's own
    (adapters.discord.command_text); the bidirectional controls are taken out; at most 2,000
    characters."""
    return fitted(for_discord_unfitted(text))


def for_discord_unfitted(text: str) -> str:
    """`for_discord` before it is cut to one message."""
    commands_written = literal_markdown(KNOWN_COMMANDS.written(without_bidi_controls(text)))
    shown = _DEFUSED_MENTION.sub(r"<\1>", commands_written)
    return _MASKED_LINK.sub("]\u200b(", shown)


def fitted(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` in one message: cut (with …) where it must be, never inside a mention."""
    if len(text) <= limit:
        return text
    return _whole_markup(text[: max(0, limit - 1)]) + "…"


def _whole_markup(cut: str) -> str:
    """`cut` without a mention (`<@1>`, `</help:1>`) its end would break in half."""
    opened = cut.rfind("<")
    return cut[:opened] if opened > cut.rfind(">") else cut


def pages(text: str, tail: str = "") -> list[str]:
    """A reply as Discord shows it, in as many messages of at most 2,000 characters as it takes
    (adapters.shared.pieces: between lines, never inside a mention); `tail` (a note about
    files) ends the last."""
    return pieces(for_discord_unfitted(text) + tail, MESSAGE_LIMIT)


def shown(text: str, tail: str = "") -> str:
    """A reply as Discord shows it, drawn `for_discord`; `tail` is kept whole when the text must
    be shortened."""
    text = for_discord(text)
    if not tail:
        return text
    return fitted(text, MESSAGE_LIMIT - len(tail)) + tail


def more_pages(reply: Reply, size_limit: int) -> list[str]:
    """The messages a reply too long for one takes after its first (`reply_message`)."""
    return pages(reply.text, fitting_files(reply.files, size_limit)[1])[1:]


def reply_message(
    guild: str, reply: Reply, size_limit: int, more: tuple[Action, ...] = ()
) -> dict[str, Any]:
    """A reply in server `guild` as the keyword arguments of a message: its text, its buttons and
    `more`, "Edit profile" with the profile form, and the files that fit `size_limit`."""
    view = buttons(guild, reply.actions + more)
    if reply.form is not None and reply.form.kind == PROFILE_FORM:
        view = view or discord.ui.View(timeout=None)
        view.add_item(discord.ui.Button(label="Edit profile", custom_id=f"{EDIT_PROFILE}:{guild}"))
    files, note = fitting_files(reply.files, size_limit)
    message: dict[str, Any] = {
        "content": pages(reply.text, note)[0],
        "allowed_mentions": SILENT,
        "suppress_embeds": True,
    }
    if view is not None:
        message["view"] = view
    if files:
        message["files"] = files
    return message

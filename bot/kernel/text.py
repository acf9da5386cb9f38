"""Text users typed, made safe to show back: no pings, no control characters, bounded length; and
how to name a member in a command someone is told to type, in their platform's own form.

Rules: what members type (and their names) loses its control and format characters
(`clean_input`, also inside `neutralise`); every text the bot sends, whatever it quotes, loses
the bidirectional controls on its way out (`without_bidi_controls`, applied by each platform's
renderer, so a name a message quotes unneutralised is covered too); a link someone typed is
never shown disguised: each platform's renderer defuses its own link markup (Discord's
`[label](url)`, Slack's `<url|label>`), so the text reads as typed, with the URL itself in it.
"""

from __future__ import annotations

import re
import unicodedata

from bot.kernel.model import MemberRef, WorkspaceRef

_ZWSP = "\u200b"
CONSOLE = "console"
"""The one platform whose parser reads `@name` as a user id; the others type `<@id>`."""
SAFE_TO_LOG = "safe_to_log"
"""The attribute (True) on an exception whose message quotes nothing anyone typed: storage sets
it on the database's errors once it has taken their values out. Any other exception's message
may quote what a member typed, and is never logged (see bot.runtime.bus.loggable)."""
# Mass and role pings on Slack (<!channel>, <!subteam^S1>) and Discord (<@&123>), user pings on
# both (<@U1>, <@123>, <@!123>), and the bare words Discord and Slack expand (@everyone, @here).
_PINGS = re.compile(r"<(?=[!@#])|@(?=(everyone|here|channel)\b)", re.IGNORECASE)
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The Arabic letter mark, the left-to-right and right-to-left marks, embeddings and overrides
(U+202A-U+202E) and isolates (U+2066-U+2069)."""


def clean_input(text: str) -> str:
    """Drop control and format characters (keeping newlines and tabs) and trim the ends."""
    return "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    ).strip()


def without_bidi_controls(text: str) -> str:
    """`text` without the characters that change the order it is shown in, with which a name or a
    message reads as something else ("\u202egnp.exe" shows as "exe.png"); everything else,
    including the zero-width spaces that defuse pings, is kept."""
    return _BIDI_CONTROLS.sub("", text)


def unable_to_ping(piece: str) -> str:
    """A piece of a longer text as `neutralise` shows it, but neither trimmed nor cut: the spaces
    and line breaks at its ends are kept, as they join it to the pieces around it."""
    lead = "".join(ch for ch in piece[: len(piece) - len(piece.lstrip())] if ch in " \n\t")
    trail = "".join(ch for ch in piece[len(piece.rstrip()) :] if ch in " \n\t")
    safe = _PINGS.sub(lambda m: m.group(0) + _ZWSP, clean_input(piece))
    return f"{lead}{safe}{trail}" if safe else lead or trail


def neutralise(text: str, limit: int = 300) -> str:
    """Show `text` as typed but unable to ping anyone, cut to `limit` characters (with …)."""
    safe = _PINGS.sub(lambda m: m.group(0) + _ZWSP, clean_input(text))
    return safe if len(safe) <= limit else safe[: limit - 1].rstrip() + "…"


def typed_mention(ref: MemberRef) -> str:
    """How to name this member in a command typed on their platform: `@ada` in the console,
    `<@U0123ABCD>` on Slack and Discord (whose user ids are not names anyone could type)."""
    return f"@{ref.user_id}" if ref.platform == CONSOLE else f"<@{ref.user_id}>"


def typed_mention_of(workspace: WorkspaceRef, user_id: str) -> str:
    """`typed_mention` for a user id someone typed, who may be nobody known (cut to 40)."""
    return typed_mention(workspace.member(neutralise(user_id, 40)))

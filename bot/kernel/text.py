"""Text users typed, made safe to show back: no pings, no control characters, bounded length; and
how to name a member in a command someone is told to type, in their platform's own form.

Rules: what members type (and their names) is kept as typed but for what can hide text, make two
names look alike or pose as the bot's own marks (`clean_input`, also inside `neutralise`): control
and format characters, private-use and unassigned ones go, except the invisible joiners that are
part of what was typed (in an emoji sequence, a subdivision flag, Persian or Hindi spelling) and
one variation selector after a character; every text the bot sends, whatever it quotes, loses
the bidirectional controls on its way out (`without_bidi_controls`, applied by each platform's
renderer, so a name a message quotes unneutralised is covered too); a link someone typed is
never shown disguised: each platform's renderer defuses its own link markup (Discord's
`[label](url)`, Slack's `<url|label>`), so the text reads as typed, with the URL itself in it.
"""

from __future__ import annotations

import re

import regex

from bot.kernel.model import MemberRef, WorkspaceRef

_ZWSP = "\u200b"
CONSOLE = "console"
"""The one platform whose parser reads `@name` as a user id; the others type `<@id>`."""
SAFE_TO_LOG = "safe_to_log"
"""The attribute (True) on an exception whose message quotes nothing anyone typed: storage sets
it on the database's errors once it has taken their values out. Any other exception's message
may quote what a member typed, and is never logged (see bot.runtime.bus.loggable)."""
# Mass and role pings on Slack (<!channel>, <!subteam^S1>) and Discord (<@&123>), user pings on
# both (<@U1>, <@123>, <@!123>), the bare words Discord and Slack expand (@everyone, @here), and
# Discord's command mentions (</help:123>), which would pose as the bot's own.
_PINGS = re.compile(r"<(?=[!@#/])|@(?=(everyone|here|channel)\b)", re.IGNORECASE)
_NEEDED = r"""
    \u200d(?<=\p{Extended_Pictographic}\p{Grapheme_Cluster_Break=Extend}*\u200d)
        (?=\p{Extended_Pictographic})
  | [\u200c\u200d](?<=\p{L}\p{M}*\p{Canonical_Combining_Class=Virama}[\u200c\u200d])
  | \u200c(?<=[\p{jt=Dual_Joining}\p{jt=Left_Joining}]\p{jt=Transparent}*\u200c)
        (?=\p{jt=Transparent}*[\p{jt=Dual_Joining}\p{jt=Right_Joining}])
  | [\U000e0061-\U000e007a](?<=\U0001f3f4.)[\U000e0061-\U000e007a]
        [\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,4}\U000e007f
"""
"""The invisible characters a sequence needs (Unicode's rules: UAX #29, UAX #31, UTS #51): a zero
width joiner (ZWJ) inside an emoji sequence (woman, skin tone, ZWJ, school: one teacher emoji), a
ZWJ or non-joiner (ZWNJ) after a virama (Hindi), a ZWNJ between letters that would join (Persian
spelling), and the tags of a subdivision flag after the black flag (Scotland's: the tags g, b, s,
c, t and the cancel tag; a region and at most four more, nothing longer that could carry text)."""
_INVISIBLE = regex.compile(
    rf"""(?:{_NEEDED})(*SKIP)(*FAIL)
  | [\p{{C}}--[\n\t\p{{Extended_Pictographic}}]]
  | (?<=\p{{Variation_Selector}})\p{{Variation_Selector}}
""",
    regex.VERSION1 | regex.VERBOSE,
)
"""What `clean_input` drops: every control, format (joiners, tags, bidi controls), surrogate,
private-use (the bot's own marks, bot.kernel.command_refs) and unassigned character but newlines,
tabs, what `_NEEDED` keeps and the code points kept for emoji not yet assigned; and a variation
selector after another (one per character is all a variant takes; a run of them can hide
text)."""
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The Arabic letter mark, the left-to-right and right-to-left marks, embeddings and overrides
(U+202A-U+202E) and isolates (U+2066-U+2069)."""


def clean_input(text: str) -> str:
    """`text` trimmed, without its control, format, private-use and unassigned characters (but
    newlines and tabs) and without a variation selector that follows another, yet with the
    invisible characters a sequence needs to read as typed (`_NEEDED`): "a\u200dda" becomes
    "ada", as a name that looks like Ada's must, while a ZWJ between two emoji stays."""
    return _INVISIBLE.sub("", text).strip()


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
    safe = unable_to_ping(text).strip()
    return safe if len(safe) <= limit else safe[: limit - 1].rstrip() + "…"


def typed_mention(ref: MemberRef) -> str:
    """How to name this member in a command typed on their platform: `@ada` in the console,
    `<@U0123ABCD>` on Slack and Discord (whose user ids are not names anyone could type)."""
    return f"@{ref.user_id}" if ref.platform == CONSOLE else f"<@{ref.user_id}>"


def typed_mention_of(workspace: WorkspaceRef, user_id: str) -> str:
    """`typed_mention` for a user id someone typed, who may be nobody known (cut to 40)."""
    return typed_mention(workspace.member(neutralise(user_id, 40)))

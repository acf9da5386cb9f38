"""The core's replies and messages as lines in the terminal.

Rules: every command a text names is written as typed here (bot.kernel.command_refs.as_typed);
a reply is its text with the code fences left out (chat apps draw them as a box); a
message delivered is one line `[DM to <name>] ...` or `[#<channel>] ...`, its further lines
indented under it, with no bidirectional control character, as on every platform
(bot.kernel.text.without_bidi_controls).
"""

from __future__ import annotations

from bot.kernel.command_refs import as_typed
from bot.kernel.model import OutboxEntry
from bot.kernel.replies import Reply
from bot.kernel.text import without_bidi_controls


def reply_text(reply: Reply) -> str:
    """A reply's text as the console shows it."""
    return "\n".join(line for line in as_typed(reply.text).split("\n") if line.strip() != "```")


def delivered(entry: OutboxEntry) -> str:
    """A message from the outbox as printed lines, each ending in a newline."""
    target = entry.destination.target
    if entry.destination.kind == "dm":
        label = f"DM to {target}"
    else:
        label = target if target.startswith("#") else f"#{target}"
    lines = without_bidi_controls(as_typed(entry.text)).splitlines() or [""]
    return f"[{label}] {lines[0]}\n" + "".join(f"    {line}\n" for line in lines[1:])

"""Text users typed, made safe to show back: no pings, no control characters, bounded length."""

from __future__ import annotations

import re
import unicodedata

_ZWSP = "\u200b"
# Mass and role pings on Slack (<!channel>, <!subteam^S1>) and Discord (<@&123>), user pings on
# both (<@U1>, <@123>, <@!123>), and the bare words Discord and Slack expand (@everyone, @here).
_PINGS = re.compile(r"<(?=[!@#])|@(?=(everyone|here|channel)\b)", re.IGNORECASE)


def clean_input(text: str) -> str:
    """Drop control and format characters (keeping newlines and tabs) and trim the ends."""
    return "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    ).strip()


def neutralise(text: str, limit: int = 300) -> str:
    """Show `text` as typed but unable to ping anyone, cut to `limit` characters (with …)."""
    safe = _PINGS.sub(lambda m: m.group(0) + _ZWSP, clean_input(text))
    return safe if len(safe) <= limit else safe[: limit - 1].rstrip() + "…"

"""The bot's text on Slack reads as written: mrkdwn a member typed (`*bold*`, `_italic_`,
`~strike~`, a backtick) never formats the bot's own words around it.

Rules: Slack has no escape for its formatting characters, but it always shows the fallback of a
date it cannot format as plain text, so a formatting character that could open or close a
format (at the edge of a word) is written as such a date, `<!date^0^{_}|*>`; one inside a word
(`year_9`) formats nothing and is kept. Code blocks (adapters.shared.code_blocks), links and
mentions (`<…>`) are left as they are; the bot writes no formatting of its own but code blocks.
"""

from __future__ import annotations

import re

from adapters.shared.code_blocks import outside_code_blocks

_KEPT = re.compile(r"(<[^<>]*>|https?://\S+)")
_FORMATTING = re.compile(r"[*_~`]")


def _at_an_edge(text: str, start: int) -> bool:
    """Whether the character at `start` stands at the edge of a word (it could format)."""
    before = text[start - 1] if start > 0 else " "
    after = text[start + 1] if start + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())


def _unformatted(piece: str) -> str:
    if not _FORMATTING.search(piece):
        return piece
    return _FORMATTING.sub(
        lambda m: f"<!date^0^{{_}}|{m[0]}>" if _at_an_edge(piece, m.start()) else m[0], piece
    )


def _plain(segment: str) -> str:
    return "".join(
        piece if index % 2 else _unformatted(piece)
        for index, piece in enumerate(_KEPT.split(segment))
    )


def literal_mrkdwn(text: str) -> str:
    """mrkdwn `text` (escaped already) with no formatting outside its code blocks."""
    return outside_code_blocks(text, _plain)

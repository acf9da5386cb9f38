"""The core's plain text as Slack mrkdwn.

Rules: `&`, `<` and `>` are escaped, so nothing anyone typed becomes a link or a ping (Slack
draws `<url|label>` as `label` linking to `url`: escaped, it reads as typed, the URL in plain
sight), in a section and in a message's `text` alike (Slack shows that one in notifications);
bidirectional control characters are taken out (bot.kernel.text.without_bidi_controls); the one
markup kept is a user mention `<@U123>` the core wrote on purpose (a hint such as `/buddy met
<@U123>`), shown as the person's name. In a private reply (ephemeral) a mention pings nobody, so
mentions the core's last guard defused are shown as names there too. Mass mentions
(`<!channel>`, `<!here>`) and user groups are never restored. Long text is split into pieces a
section block takes.
"""

from __future__ import annotations

import re

from bot.kernel.text import without_bidi_controls

SECTION_LIMIT = 3000
"""Slack refuses a section whose text is longer."""

_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,20})&gt;")
_DEFUSED_MENTION = re.compile(r"&lt;\u200b@([UW][A-Z0-9]{2,20})&gt;")


def to_mrkdwn(text: str, *, private: bool = False) -> str:
    """`text` as mrkdwn: escaped, with the core's own user mentions kept (`private`: the defused
    ones too), without bidirectional controls."""
    escaped = (
        without_bidi_controls(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )
    if private:
        escaped = _DEFUSED_MENTION.sub(r"<@\1>", escaped)
    return _MENTION.sub(r"<@\1>", escaped)


def pieces(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut between lines where it can be."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current or not out:
        out.append(current)
    return out

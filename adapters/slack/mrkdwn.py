"""The core's plain text as Slack mrkdwn.

Rules: `&`, `<` and `>` are escaped, so nothing anyone typed becomes a link or a ping (Slack
draws `<url|label>` as `label` linking to `url`: escaped, it reads as typed, the URL in plain
sight), in a section and in a message's `text` alike (Slack shows that one in notifications);
bidirectional control characters are taken out (bot.kernel.text.without_bidi_controls). Two
kinds of markup come back, whether the core's last guard (bot.kernel.text.neutralise) defused
them or not, so no broken `<​#...>` is ever shown:
- a channel link `<#C123|name>` everywhere: Slack draws it as the channel's name, and it pings
  nobody;
- a user mention `<@U123>` (or `<@U123|name>`): in a private reply (ephemeral), where it pings
  nobody, always, as a mention Slack draws as the person's name; in a message others see (a
  DM, a channel post) only the mentions the core wrote on purpose (a hint such as `/buddy met
  <@U123>`), and a defused one there is shown as `@` and the person's name in plain text
  (`names`, else the name the mention carried, else "someone"), which pings nobody.
Mass mentions (`<!channel>`, `<!here>`), user groups (`<!subteam^...>`) and links are never
restored. Every command the text names is written as a Slack user types it
(adapters.slack.command_text), and formatting characters a member typed format nothing
(adapters.slack.literal). Long text is split into pieces a section block takes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from adapters.shared.pieces import pieces as shared_pieces
from adapters.slack.command_text import for_slack
from adapters.slack.literal import literal_mrkdwn
from bot.kernel.text import neutralise, without_bidi_controls

SECTION_LIMIT = 3000
"""Slack refuses a section whose text is longer."""
SOMEONE = "someone"
"""Who a defused mention shown as a name names when nobody knows their name."""

_MENTION = re.compile(r"&lt;(\u200b?)@([UW][A-Z0-9]{2,20})(?:\|([^|&\n]{1,80}))?&gt;")
"""A user mention after escaping: defused or not, with the name Slack may have put in it."""
_CHANNEL = re.compile(r"&lt;\u200b?#([CG][A-Z0-9]{2,20})(\|[\w-]{1,80})?&gt;")
"""A channel link after escaping, defused or not: `<#C123|name>` or `<#C123>`."""
_DEFUSED_USER = re.compile(r"<\u200b@([UW][A-Z0-9]{2,20})[|>]")


def escape(text: str) -> str:
    """`&`, `<` and `>` as Slack's entities: the text reads as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str, *, private: bool = False, names: Mapping[str, str] | None = None) -> str:
    """`text` as mrkdwn, without bidirectional controls: escaped, with channel links and the
    core's own user mentions kept, and the defused mentions as mentions when `private`, else as
    names (`names`: user id to name)."""
    known = names or {}

    def mention(found: re.Match[str]) -> str:
        defused, user, carried = found.groups()
        if private or not defused:
            return f"<@{user}>"
        return "@" + escape(neutralise(known.get(user) or carried or SOMEONE, 80))

    escaped = escape(without_bidi_controls(for_slack(text)))
    escaped = _CHANNEL.sub(lambda found: f"<#{found[1]}{found[2] or ''}>", escaped)
    return literal_mrkdwn(_MENTION.sub(mention, escaped))


def defused_mentions(text: str) -> set[str]:
    """The user ids of the defused mentions in `text`: whose names a message others see shows
    in their place."""
    return set(_DEFUSED_USER.findall(text))


def pieces(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """`text` in pieces a section block takes (adapters.shared.pieces)."""
    return shared_pieces(text, limit)

"""The bot's text on Discord reads as written: markdown inside it (what a member typed: a name
with `**`, a reason with a backtick, a bio starting with `#`) is shown as typed, never as
formatting that would run on into the bot's own words.

Rule: the bot writes no markdown of its own but code blocks (a table in ```), so outside them
every markdown character is escaped (discord.py's `escape_markdown`, links left whole) and inside
them nothing is; mentions (`<@id>`, `<#id>`, `</name sub:id>`) carry no markdown and are kept.
"""

from __future__ import annotations

import discord

FENCE = "```"


def literal_markdown(text: str) -> str:
    """`text` with the markdown outside its code blocks escaped."""
    parts = text.split(FENCE)
    return FENCE.join(
        part if inside else discord.utils.escape_markdown(part, ignore_links=True)
        for inside, part in ((index % 2 == 1, part) for index, part in enumerate(parts))
    )

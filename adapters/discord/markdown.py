"""The bot's text on Discord reads as written: markdown inside it (what a member typed: a name
with `**`, a reason with a backtick, a bio starting with `#`) is shown as typed, never as
formatting that would run on into the bot's own words.

Rule: the bot writes no markdown of its own but code blocks (a table in ```, see
adapters.shared.code_blocks), so outside them every markdown character is escaped (discord.py's
`escape_markdown`, links left whole) and inside them nothing is; mentions (`<@id>`, `<#id>`,
`</name sub:id>`) carry no markdown and are kept.
"""

from __future__ import annotations

import discord

from adapters.shared.code_blocks import outside_code_blocks


def literal_markdown(text: str) -> str:
    """`text` with the markdown outside its code blocks escaped."""
    return outside_code_blocks(text, _escaped)


def _escaped(part: str) -> str:
    return discord.utils.escape_markdown(part, ignore_links=True)

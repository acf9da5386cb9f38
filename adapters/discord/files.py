"""Files that come with a reply, attached to it on Discord.

Rule: a message carries at most `MAX_FILES` files, their bytes together within what the
interaction allows; the files that fit go in order, and each one left off gets a line under the
reply's text saying why.
"""

from __future__ import annotations

import io

import discord

from bot.kernel.replies import Attachment

MAX_FILES = 10
"""Files one Discord message may carry."""


def fitting_files(
    attachments: tuple[Attachment, ...], size_limit: int
) -> tuple[list[discord.File], str]:
    """The files that fit one message, in order (at most `MAX_FILES`, their bytes together
    within `size_limit`), and a line for each left off, to go under the text."""
    files: list[discord.File] = []
    left_off: list[str] = []
    total = 0
    for attachment in attachments:
        size = len(attachment.content)
        if len(files) >= MAX_FILES:
            left_off.append(
                f"I couldn't attach {attachment.name}: a message carries at most {MAX_FILES} files."
            )
        elif total + size > size_limit:
            left_off.append(
                f"I couldn't attach {attachment.name} ({_size(size)}): Discord takes "
                f"{_size(size_limit)} of files at most here."
            )
        else:
            total += size
            files.append(discord.File(io.BytesIO(attachment.content), filename=attachment.name))
    return files, "".join(f"\n{line}" for line in left_off)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"

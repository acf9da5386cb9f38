"""Storing concerns raised for the moderators (`FlagRepository`)."""

from __future__ import annotations

from typing import Protocol

from bot.kernel.model import Flag, NewFlag


class FlagRepository(Protocol):
    async def add(self, flag: NewFlag) -> Flag:
        """Store it; the flag as stored, with its id."""
        ...

"""Storing concerns raised for the moderators (`FlagRepository`)."""

from __future__ import annotations

from typing import Protocol

from bot.kernel.model import Flag


class FlagRepository(Protocol):
    async def add(self, flag: Flag) -> Flag: ...

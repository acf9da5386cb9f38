"""Delivers outbox messages to the terminal as `[DM to bob] ...` and `[#circle] ...` lines, drawn
as adapters.console.render says."""

from __future__ import annotations

from typing import TextIO

from adapters.console.people import PLATFORM
from adapters.console.render import delivered
from bot.kernel.model import OutboxEntry
from bot.kernel.ports import Delivery, Sent


class ConsoleMessenger:
    platform = PLATFORM
    resend_is_safe = True  # a repeated line in a local terminal harms nobody
    max_per_second: float | None = None  # a terminal has no rate limit

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def send(self, entry: OutboxEntry) -> Delivery:
        self._out.write(delivered(entry))
        self._out.flush()
        return Sent()

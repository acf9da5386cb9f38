"""Delivers outbox messages to the terminal as `[DM to bob] ...` and `[#circle] ...` lines,
without bidirectional control characters (bot.kernel.text.without_bidi_controls), as on
every platform."""

from __future__ import annotations

from typing import TextIO

from adapters.console.people import PLATFORM
from bot.kernel.model import OutboxEntry
from bot.kernel.ports import Delivery, Sent
from bot.kernel.text import without_bidi_controls


class ConsoleMessenger:
    platform = PLATFORM
    resend_is_safe = True  # a repeated line in a local terminal harms nobody
    max_per_second: float | None = None  # a terminal has no rate limit

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def send(self, entry: OutboxEntry) -> Delivery:
        target = entry.destination.target
        if entry.destination.kind == "dm":
            label = f"DM to {target}"
        else:
            label = target if target.startswith("#") else f"#{target}"
        lines = without_bidi_controls(entry.text).splitlines() or [""]
        self._out.write(f"[{label}] {lines[0]}\n")
        for line in lines[1:]:
            self._out.write(f"    {line}\n")
        self._out.flush()
        return Sent()

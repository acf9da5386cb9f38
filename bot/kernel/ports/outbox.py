"""Queuing messages in the command's own transaction (`OutboxRepository`).

Rules: a message is queued with the change that caused it, or not at all; a key is queued once;
appending to a waiting message stays within the platform's length limit. Sending them is the
dispatcher's side (`OutboxStore`, `Messenger` in bot.kernel.ports.messaging)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Mention, OutgoingMessage


class OutboxRepository(Protocol):
    async def add(self, message: OutgoingMessage, now: datetime) -> bool:
        """Queue the message in the current transaction; False when its key was queued before."""
        ...

    async def add_all(self, messages: Sequence[OutgoingMessage], now: datetime) -> int:
        """Queue them all at once; how many were new."""
        ...

    async def append(
        self, key: str, text: str, mentions: Sequence[Mention], limit: int
    ) -> bool | None:
        """Add `text` to the end of the message queued under `key` (its `mentions` counted from
        the start of `text`), if that message is still waiting to be sent and the whole stays
        within `limit` characters: True when added, False when it was not (no room, or no longer
        waiting), None when nothing was ever queued under `key`. Appends to one message take
        turns."""
        ...

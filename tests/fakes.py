"""Fakes for what the core reaches outside itself: a chat platform and the time."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bot.model import OutboxEntry
from bot.ports import Delivery, Sent


@dataclass
class RecordingMessenger:
    """A platform that records what it was sent; queue outcomes to make it refuse or throttle."""

    platform: str = "console"
    resend_is_safe: bool = True
    sent: list[OutboxEntry] = field(default_factory=list)
    outcomes: deque[Delivery] = field(default_factory=deque)

    async def send(self, entry: OutboxEntry) -> Delivery:
        outcome = self.outcomes.popleft() if self.outcomes else Sent()
        if isinstance(outcome, Sent):
            self.sent.append(entry)
        return outcome

    def texts_to(self, target: str) -> list[str]:
        return [e.text for e in self.sent if e.destination.target == target]

"""Discord's global limit as the fake keeps it (`FakeDiscord.limit_messages`): a token bucket on
the messages the bot creates, `per_second` for the whole bot, `burst` at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bucket:
    per_second: float
    burst: float
    tokens: float
    at: float

    def _fill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now

    def take(self, now: float) -> float:
        """0 when a message may go now (and it is counted), else the seconds until one may."""
        self._fill(now)
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second

    def empty_for(self, now: float, seconds: float) -> None:
        """Another of the bot's processes spent the limit: no message goes for `seconds`."""
        self._fill(now)
        self.tokens = min(self.tokens, 1 - seconds * self.per_second)

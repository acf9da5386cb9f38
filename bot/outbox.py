"""Delivers what the outbox holds, once.

Rules:
- a row is claimed by one dispatcher at a time, sent, then marked sent;
- a 429 or a passing failure is retried after the platform's Retry-After (or a growing back-off);
- a permanent refusal (DMs closed) is recorded as failed, for moderators to see;
- a row left `sending` by a crash is requeued only where the platform drops repeats (Discord's
  nonce); elsewhere it is marked uncertain rather than sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.model import OutboxEntry
from bot.ports import Clock, Failed, Messenger, OutboxStore, RetryLater, Sent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


class OutboxDispatcher:
    def __init__(
        self,
        store: OutboxStore,
        messengers: Mapping[str, Messenger],
        clock: Clock,
        batch_size: int = 50,
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self._store = store
        self._messengers = dict(messengers)
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease

    async def recover(self) -> tuple[int, int]:
        """Settle rows a crashed dispatcher left in `sending` (call at start and now and then)."""
        safe = [p for p, m in self._messengers.items() if m.resend_is_safe]
        cutoff = self._clock.now() - self._lease
        return await self._store.recover_stale(cutoff, safe, list(self._messengers))

    async def drain(self) -> DrainResult:
        """Send everything due now, batch by batch, until nothing due is left."""
        result = DrainResult()
        while batch := await self._store.claim(
            self._clock.now(), self._batch_size, list(self._messengers)
        ):
            for entry in batch:
                await self._deliver(entry, result)
        return result

    async def _deliver(self, entry: OutboxEntry, result: DrainResult) -> None:
        messenger = self._messengers[entry.destination.workspace.platform]
        try:
            outcome = await messenger.send(entry)
        except Exception as e:  # a bug or an outage in an adapter must not stop the outbox
            log.exception("sending outbox entry %s failed", entry.id)
            outcome = RetryLater(min(2**entry.attempts * 5.0, 3600.0), repr(e)[:200])
        match outcome:
            case Sent():
                await self._store.mark_sent(entry.id, self._clock.now())
                result.sent += 1
            case RetryLater(after_seconds, reason) if entry.attempts < MAX_ATTEMPTS:
                at = self._clock.now() + timedelta(seconds=after_seconds)
                await self._store.retry_later(entry.id, at, reason)
                result.retried += 1
            case RetryLater(_, reason) | Failed(reason):
                await self._store.mark_failed(entry.id, reason)
                result.failed += 1

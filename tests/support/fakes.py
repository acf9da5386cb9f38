"""Fakes for what the core reaches outside itself: a chat platform, the outbox's store and the
time."""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.kernel.command_refs import as_typed
from bot.kernel.model import (
    Destination,
    MemberRef,
    OutboxEntry,
    OutboxStatus,
    Priority,
    WorkspaceRef,
)
from bot.kernel.ports import Delivery, Sent


@dataclass
class RecordingMessenger:
    """A platform that records what it was sent (its text as the console shows it); queue
    outcomes to make it refuse or throttle."""

    platform: str = "console"
    resend_is_safe: bool = True
    max_per_second: float | None = None
    sent: list[OutboxEntry] = field(default_factory=list)
    queued_texts: list[str] = field(default_factory=list)
    """What the core queued, its command references still marked (bot.kernel.command_refs)."""
    outcomes: deque[Delivery] = field(default_factory=deque)

    async def send(self, entry: OutboxEntry) -> Delivery:
        outcome = self.outcomes.popleft() if self.outcomes else Sent()
        if isinstance(outcome, Sent):
            self.sent.append(dataclasses.replace(entry, text=as_typed(entry.text)))
            self.queued_texts.append(entry.text)
        return outcome

    def texts_to(self, target: str) -> list[str]:
        return [e.text for e in self.sent if e.destination.target == target]


class MemoryOutboxStore:
    """The outbox's store in memory, with the same rules as the SQL one: claims are due pending
    rows, the most urgent first, then the oldest; a release takes the claim's try back."""

    def __init__(self) -> None:
        self.rows: dict[int, OutboxEntry] = {}

    def queue(
        self,
        key: str,
        to: MemberRef,
        at: datetime | None = None,
        priority: Priority = Priority.ROUTINE,
    ) -> OutboxEntry:
        when = at or datetime(2026, 3, 3, tzinfo=UTC)
        entry = OutboxEntry(
            id=len(self.rows) + 1,
            key=key,
            destination=Destination.dm(to),
            text=f"text of {key}",
            status=OutboxStatus.PENDING,
            attempts=0,
            created_at=when,
            next_attempt_at=when,
            priority=priority,
        )
        self.rows[entry.id] = entry
        return entry

    def status_of(self, key: str) -> OutboxStatus:
        (entry,) = (e for e in self.rows.values() if e.key == key)
        return entry.status

    async def claim(
        self, now: datetime, limit: int, platforms: Collection[str]
    ) -> list[OutboxEntry]:
        due = sorted(
            (
                e
                for e in self.rows.values()
                if e.status is OutboxStatus.PENDING
                and e.next_attempt_at <= now
                and e.destination.workspace.platform in platforms
            ),
            key=lambda e: (e.priority, e.id),
        )[:limit]
        for entry in due:
            entry.status, entry.claimed_at = OutboxStatus.SENDING, now
            entry.attempts += 1
        return [dataclasses.replace(e) for e in due]

    async def mark_sent(self, entry_ids: Collection[int], now: datetime) -> None:
        for entry_id in entry_ids:
            self.rows[entry_id].status = OutboxStatus.SENT
            self.rows[entry_id].sent_at = now

    async def retry_later(self, entry_id: int, at: datetime, error: str) -> None:
        entry = self.rows[entry_id]
        entry.status, entry.next_attempt_at, entry.last_error = OutboxStatus.PENDING, at, error

    async def mark_failed(self, entry_id: int, error: str) -> None:
        self.rows[entry_id].status = OutboxStatus.FAILED
        self.rows[entry_id].last_error = error

    async def fail_waiting(self, workspace: WorkspaceRef, error: str) -> int:
        waiting = [
            e
            for e in self.rows.values()
            if e.status is OutboxStatus.PENDING and e.destination.workspace == workspace
        ]
        for entry in waiting:
            entry.status, entry.last_error = OutboxStatus.FAILED, error
        return len(waiting)

    async def release(self, entry_ids: Collection[int], at: datetime, error: str) -> None:
        for entry_id in entry_ids:
            entry = self.rows[entry_id]
            if entry.status is OutboxStatus.SENDING:
                entry.status, entry.next_attempt_at = OutboxStatus.PENDING, at
                entry.attempts -= 1
                entry.last_error = error

    async def recover_stale(
        self, claimed_before: datetime, resend_safe: Collection[str], platforms: Collection[str]
    ) -> tuple[int, int]:
        settled = {OutboxStatus.PENDING: 0, OutboxStatus.UNCERTAIN: 0}
        for entry in self.rows.values():
            platform = entry.destination.workspace.platform
            stale = entry.claimed_at is not None and entry.claimed_at < claimed_before
            if entry.status is OutboxStatus.SENDING and stale and platform in platforms:
                safe = platform in resend_safe
                entry.status = OutboxStatus.PENDING if safe else OutboxStatus.UNCERTAIN
                settled[entry.status] += 1
        return settled[OutboxStatus.PENDING], settled[OutboxStatus.UNCERTAIN]

"""Delivering the outbox and hearing the platforms: the dispatcher's store (`OutboxStore`),
a platform's `Messenger` and what a send came to (`Delivery`: `Sent`, `RetryLater`, `Failed`,
`Uncertain`), the events already seen (`SeenEvents`) and the one instance that runs a tick
(`TickLock`).

Rules: no row goes to two claimers; throttling alone never makes a message fail; a send whose
outcome is unknown is never repeated where the platform cannot drop repeats."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.kernel.model import OutboxEntry, WorkspaceRef


class OutboxStore(Protocol):
    """The dispatcher's side of the outbox; each call is its own short transaction."""

    async def claim(
        self, now: datetime, limit: int, platforms: Collection[str]
    ) -> list[OutboxEntry]:
        """Mark up to `limit` due pending rows as sending and return them, the most urgent first
        (`Priority`), then the oldest; no row goes to two claimers, even across processes."""
        ...

    async def mark_sent(self, entry_ids: Collection[int], now: datetime) -> None:
        """Record these rows as sent, in one transaction."""
        ...

    async def retry_later(self, entry_id: int, at: datetime, error: str) -> None: ...

    async def mark_failed(self, entry_id: int, error: str) -> None: ...

    async def mark_uncertain(self, entry_id: int, error: str) -> None:
        """The send's outcome is unknown (`Uncertain`): keep the row, never send it again."""
        ...

    async def fail_waiting(self, workspace: WorkspaceRef, error: str) -> int:
        """Every message still waiting (pending) for `workspace`: failed with `error`, kept,
        never sent; how many."""
        ...

    async def release(self, entry_ids: Collection[int], at: datetime, error: str) -> None:
        """Claimed rows that were not sent because the platform asked us to wait (a 429, or
        a lane holding for one): back to pending at `at`, and their claims do not count as
        attempts, so throttling alone never makes a message fail."""
        ...

    async def recover_stale(
        self, claimed_before: datetime, resend_safe: Collection[str], platforms: Collection[str]
    ) -> tuple[int, int]:
        """Rows left in `sending` by a crash: back to pending where a resend is harmless on that
        platform, otherwise marked uncertain. Returns (requeued, uncertain)."""
        ...


class SendBudget(Protocol):
    """A platform's rate limit, shared by every instance that sends to it: each books the time
    its sends take before it starts them, so together they keep to the platform's pace, and a
    429 one of them hears holds them all. Rate limits are real time: a budget keeps its own
    clock (the database's, for instances), not the core's `Clock`."""

    async def reserve(self, platform: str, sends: int, per_second: float) -> float:
        """Book `sends` sends at `per_second`, after what is booked already and any hold: the
        seconds to wait before they start (0: at once)."""
        ...

    async def hold(self, platform: str, seconds: float) -> None:
        """The platform (or one `Pace` key of it) asked us to wait (429): no booking on that key
        starts for `seconds`."""
        ...

    async def plan(self, sends: Sequence[Sequence[Pace]], within: float) -> list[float]:
        """For each send in order, the seconds until every one of its paces allows it (after
        what is booked and any hold on each key): a send that may start within `within` seconds
        is booked on its paced keys; one further off is not booked, and its wait counts the
        unbooked sends of the same key before it, so put back it comes in its own turn."""
        ...


@dataclass(frozen=True)
class Pace:
    """A limit a send falls under besides its platform's: a key (a channel, a method in one
    workspace, a route), its sustained rate (None for a key that only a 429 holds) and how many
    sends may go at once before the rate applies (`burst`, for limits counted per minute)."""

    key: str
    per_second: float | None = None
    burst: int = 1


@runtime_checkable
class PacedMessenger(Protocol):
    """A messenger whose platform limits sends by channel, method or route as well."""

    def paces(self, entry: OutboxEntry) -> Sequence[Pace]:
        """The keys this send falls under (a 429 scoped to one of them names it)."""
        ...


@dataclass(frozen=True)
class Sent:
    pass


@dataclass(frozen=True)
class RetryLater:
    """Not delivered; try again after `after_seconds`. `throttled` means the platform said 429
    (too many requests): the whole platform waits that long, and the try does not count."""

    after_seconds: float
    reason: str
    throttled: bool = False
    scope: str | None = None
    """A 429 for one `Pace` key alone (a route, a method in one workspace): only sends under
    that key wait, not the whole platform."""


@dataclass(frozen=True)
class Failed:
    """The platform refused for good (DMs closed, deactivated user). `whole_workspace`: the
    refusal is the workspace's, not this person's or channel's (the app was uninstalled from
    it), so every message still waiting for that workspace fails with it, and nobody is told
    of it (nobody there can be reached)."""

    reason: str
    whole_workspace: bool = False


@dataclass(frozen=True)
class Uncertain:
    """The request may have reached the platform, but no answer came (a connection dropped after
    sending). Sending again could post twice where the platform does not drop repeats (Slack), so
    the entry is recorded uncertain, not retried."""

    reason: str


Delivery = Sent | RetryLater | Failed | Uncertain


class Messenger(Protocol):
    """Delivers outbox entries on one platform."""

    platform: str
    resend_is_safe: bool
    """True when the platform drops a repeated send (Discord's nonce), so a crash may resend."""
    max_per_second: float | None
    """The platform's sustained send limit for this bot; None when it has none (the console)."""

    async def send(self, entry: OutboxEntry) -> Delivery: ...


class SeenEvents(Protocol):
    """Platform deliveries already handled, kept long enough to outlast the platform's retries
    (Slack retries an event for about five minutes)."""

    async def first_sighting(self, key: str, now: datetime) -> bool:
        """True the first time `key` is seen, in this instance or any other sharing the
        database; False for every later sighting."""
        ...


class TickLock(Protocol):
    """Picks the one instance that runs the due jobs in a tick when several share a database."""

    def hold(self) -> AbstractAsyncContextManager[bool]:
        """`async with lock.hold() as mine:` mine is True when this instance may run the jobs
        now; the lock is let go when the block ends (or the process dies)."""
        ...

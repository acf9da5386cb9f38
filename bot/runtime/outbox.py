"""Delivers what the outbox holds, once, at the pace each platform allows.

Rules:
- a row is claimed by one dispatcher at a time, sent, then marked sent;
- each platform is a lane of its own, drained alongside the others; a lane keeps at most
  `concurrency` sends in flight and starts them no faster than its messenger's `max_per_second`
  (concurrent drains in one process share the lane, its pace and its holds);
- with a shared `budget` (the database's, in a deployment), every instance books a paced
  batch's sends before starting them and starts them in its booked turn, so instances together
  keep to the platform's pace instead of each keeping to it alone;
- a platform may limit sends by channel, method or route as well (a `PacedMessenger` names each
  send's `Pace` keys): a batch's sends are planned on those keys through the budget (shared
  between instances like the platform's pace); a send whose key allows it within the lane's
  horizon starts then, without holding up the others, and one further off goes back, without
  counting a try, until its turn, when the drain (if that is within LONGEST_WAIT) comes back for
  it; so a busy channel gets one post a second while every other channel keeps flowing;
- a 429 for one key alone (a RetryLater with a `scope`: a route, a method in one workspace)
  holds that key, through the budget, for its Retry-After and puts the row back until then,
  without counting the try; the rest of the platform goes on;
- a 429 (a throttled RetryLater) puts the row back until the platform's Retry-After without
  counting the try, and holds the whole lane that long (every instance's, through the budget):
  no send starts on that platform until then, the rows the lane had claimed but not started go
  back too, and after the hold the lane goes on in the same drain with whatever has become due;
  a hold longer than LONGEST_WAIT ends that platform's part of the drain instead, and drains
  leave it alone until the hold is nearly over (so a long Retry-After never stalls a tick);
- any other passing failure is retried after the given delay (or a growing back-off), and fails
  for good after MAX_ATTEMPTS tries; a concern never does: it is retried, backing off to an
  hour between tries, until it is sent or refused for good, so a long outage loses none;
- a permanent refusal (`Failed`: DMs closed, a deactivated account, no access to a channel) is
  recorded as failed, and `on_undeliverable` hears of it once the lanes' sends have finished (to
  tell the person and the moderators; what it queues goes out in the same drain); running out of
  tries is recorded as failed too, without it; a refusal for the whole workspace (the app
  uninstalled) fails every message waiting for that workspace at once, and tells nobody;
- an exception from a messenger is retried with back-off like any passing failure, but an
  `Uncertain` send (the platform may have it) is recorded uncertain and never sent again;
- a claim takes the most urgent due rows first (a concern before anything routine), then each
  workspace in its turn (one school's thousands of prompts never queue another school behind
  them), then the oldest, and they are sent in that order;
- claims are small enough that a batch goes out within a quarter of the lease, and within
  CLAIM_SECONDS, at the lane's pace (so a concern queued behind hundreds of routine messages waits
  only for what the lane has already claimed), and a claimed row is never started once its claim
  is half a lease old (it goes back instead), so another instance's recovery never takes a row
  that is still about to be sent;
- a row left `sending` by a crash is requeued only where the platform drops repeats (Discord's
  nonce); elsewhere it is marked uncertain rather than sent twice;
- a lane claims its next batch while it sends the current one, and records sends as sent in
  groups (see bot.runtime.sent_marks), so the database never holds up a paced platform;
- a drain ends when nothing is due on any lane and nothing it started is still in flight, after
  settling rows whose lease ran out meanwhile (and sending those requeued).

Time: due times and claims follow the Clock port; pacing and holds follow the event loop's clock
(aiolimiter and asyncio.sleep), so tests drive both with a virtual-time loop and a clock read off
it, and never really wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta

from aiolimiter import AsyncLimiter

from bot.kernel.model import OutboxEntry
from bot.kernel.ports import (
    Clock,
    Failed,
    Messenger,
    OutboxStore,
    Pace,
    PacedMessenger,
    RetryLater,
    SendBudget,
    Sent,
    Uncertain,
)
from bot.runtime.budget import OwnBudget
from bot.runtime.lanes import (
    CLAIM_SECONDS,
    MAX_ATTEMPTS,
    PACE_BURST,
    Claim,
    DrainResult,
    Lane,
    Run,
    after,
    backoff,
    first_error,
    tries_left,
)
from bot.runtime.sent_marks import SentMarks

__all__ = ["MAX_ATTEMPTS", "DrainResult", "OutboxDispatcher", "Undeliverable"]

log = logging.getLogger(__name__)

LONGEST_WAIT = 60.0
"""Seconds of a 429 hold that a drain waits out; past that the platform sits this drain out."""
HELD = "held back: the platform asked us to wait (429)"
PACED = "waiting its turn: the channel or method allows only so many sends"
STALE = "claim grew old before sending; put back"
STOPPED = "put back: the dispatcher is stopping"

Undeliverable = Callable[[OutboxEntry, str], Awaitable[None]]
"""Told of a row the platform refused for good, with the platform's reason."""


async def _nobody_told(entry: OutboxEntry, reason: str) -> None:
    return None


class OutboxDispatcher:
    def __init__(
        self,
        store: OutboxStore,
        messengers: Mapping[str, Messenger],
        clock: Clock,
        batch_size: int = 50,
        lease: timedelta = timedelta(seconds=30),
        concurrency: int = 4,
        on_undeliverable: Undeliverable = _nobody_told,
        budget: SendBudget | None = None,
    ) -> None:
        if concurrency < 1 or batch_size < 1:
            raise ValueError("concurrency and batch_size must be at least 1")
        self._store = store
        self._messengers = dict(messengers)
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease
        self._concurrency = concurrency
        self._on_undeliverable = on_undeliverable
        self._budget = budget
        self._refused: list[tuple[OutboxEntry, str]] = []
        """Rows refused for good, not yet told to `on_undeliverable`."""
        self._lanes: dict[str, Lane] = {}
        self._lanes_loop: asyncio.AbstractEventLoop | None = None
        self._own_budget = OwnBudget()
        """Paces by channel, method or route when no budget is shared."""
        self._stopping = False

    @property
    def lease(self) -> timedelta:
        return self._lease

    async def recover(self) -> tuple[int, int]:
        """Settle rows a crashed dispatcher left in `sending` (call at start and now and then)."""
        safe = [p for p, m in self._messengers.items() if m.resend_is_safe]
        cutoff = self._clock.now() - self._lease
        return await self._store.recover_stale(cutoff, safe, list(self._messengers))

    def stop(self) -> None:
        """Start no new send: running drains let their sends in flight finish, put back what
        they had claimed and end. For a clean shutdown."""
        self._stopping = True

    async def drain(self) -> DrainResult:
        """Send everything due now on every platform, each at its own pace, until nothing due is
        left; a lane held by a 429 goes on after the hold. Then rows refused for good are told to
        `on_undeliverable`, and what it queued is sent. Before ending, rows a crashed dispatcher
        left whose lease has run out meanwhile are settled, and sent if requeued."""
        result = DrainResult()
        while True:
            lanes = self._current_lanes()
            try:
                async with asyncio.TaskGroup() as group:
                    for lane in lanes:
                        group.create_task(self._drain_lane(lane, result))
            except BaseExceptionGroup as group:
                raise first_error(group) from None
            told = await self._tell_refused()  # what it queued goes out in the next round
            if self._stopping or not (told or (await self.recover())[0]):
                return result

    def _current_lanes(self) -> list[Lane]:
        loop = asyncio.get_running_loop()
        if self._lanes_loop is not loop:  # semaphores and limiters belong to one event loop
            self._lanes = {p: self._new_lane(p, m) for p, m in self._messengers.items()}
            self._own_budget = OwnBudget()
            self._lanes_loop = loop
        return list(self._lanes.values())

    def _new_lane(self, platform: str, messenger: Messenger) -> Lane:
        rate = messenger.max_per_second
        batch, limiter = self._batch_size, None
        # A batch at this pace must go out within a quarter of the lease, and within
        # CLAIM_SECONDS, so a concern queued meanwhile waits little behind it.
        seconds = min(self._lease.total_seconds() / 4, CLAIM_SECONDS)
        if rate is not None:
            batch = max(1, min(batch, int(rate * seconds)))
            burst = min(PACE_BURST, max(1.0, rate))
            limiter = AsyncLimiter(burst, burst / rate)
        slots = asyncio.Semaphore(self._concurrency)
        marks = SentMarks(self._store, self._clock)
        return Lane(platform, messenger, batch, slots, limiter, marks, horizon=seconds)

    async def _drain_lane(self, lane: Lane, result: DrainResult) -> None:
        run = Run()
        ahead: Claim | None = None
        try:
            while not self._stopping and lane.hold_left() <= LONGEST_WAIT:
                await lane.wait_out_hold()
                claim, ahead = ahead or self._claim(lane), None
                batch = await claim.rows
                if batch:
                    ahead = await self._start(lane, batch, run, result)
                    continue
                await run.settle()
                if lane.throttles != claim.throttles:
                    continue  # a 429 put a row back meanwhile
                back = lane.next_back(claim.at)
                if back is None or back > LONGEST_WAIT or self._stopping:
                    return  # nothing due, nothing in flight, nothing put back to wait a little
                await asyncio.sleep(back)
        finally:
            if ahead is not None:  # claimed ahead, then stopped: the rows go back
                await self._give_back(lane, await ahead.rows, STOPPED)
            await run.settle()

    def _claim(self, lane: Lane) -> Claim:
        rows = self._store.claim(self._clock.now(), lane.batch_size, [lane.platform])
        at = asyncio.get_running_loop().time()
        return Claim(asyncio.ensure_future(rows), lane.throttles, at)

    async def _start(
        self, lane: Lane, batch: Sequence[OutboxEntry], run: Run, result: DrainResult
    ) -> Claim | None:
        """Start the batch's sends one by one at the lane's pace, and half way through a full
        batch claim the next (returned), so the lane never waits for a claim. Give back what is
        left, the next batch too, when the lane is held, the claim has grown old or the
        dispatcher stops."""
        ahead: Claim | None = None
        full = len(batch) == lane.batch_size
        batch, later = await self._in_turn(lane, batch)
        if not await self._booked(lane, [*batch, *(entry for entry, _, _ in later)]):
            await self._give_back(lane, [*batch, *(entry for entry, _, _ in later)], HELD)
            return None
        for entry, keys, wait in later:
            run.add(asyncio.create_task(self._start_later(lane, entry, keys, wait, result)))
        claim_ahead_at = len(batch) // 2 if full else None
        for index, entry in enumerate(batch):
            if index == claim_ahead_at:
                ahead = self._claim(lane)
            await self._take_slot(lane)
            reason = self._why_not_now(lane, entry)
            if reason is not None:
                lane.slots.release()
                await self._give_back(lane, batch[index:], reason)
                if ahead is not None:
                    await self._give_back(lane, await ahead.rows, reason)
                return None
            run.add(asyncio.create_task(self._deliver(lane, entry, result)))
        return ahead

    async def _in_turn(
        self, lane: Lane, batch: Sequence[OutboxEntry]
    ) -> tuple[list[OutboxEntry], list[tuple[OutboxEntry, list[str], float]]]:
        """Plan the batch's sends on their paces (channel, method, route): those allowed now,
        and those allowed within the lane's horizon (with their keys and wait); those further
        off are put back until their turn."""
        messenger = lane.messenger
        if not isinstance(messenger, PacedMessenger):
            return list(batch), []
        paces: list[Sequence[Pace]] = [messenger.paces(entry) for entry in batch]
        if not any(paces):
            return list(batch), []
        budget = self._budget or self._own_budget
        waits = await budget.plan(paces, lane.horizon)
        now = self._clock.now()
        ready: list[OutboxEntry] = []
        later: list[tuple[OutboxEntry, list[str], float]] = []
        for entry, keys, wait in zip(batch, paces, waits, strict=True):
            if wait > lane.horizon:
                await self._store.release([entry.id], after(now, wait), PACED)
                lane.come_back_in(wait)
            elif wait > 0:
                later.append((entry, [pace.key for pace in keys], wait))
            else:
                ready.append(entry)
        return ready, later

    async def _start_later(
        self, lane: Lane, entry: OutboxEntry, keys: list[str], wait: float, result: DrainResult
    ) -> None:
        """Start one send when its pace allows, at the lane's pace, unless one of its keys or
        the lane is held, the claim has grown old or the dispatcher stops meanwhile (then it
        goes back)."""
        await asyncio.sleep(wait)
        if (held := lane.key_hold_left(keys)) > 0:
            await self._store.release([entry.id], after(self._clock.now(), held), HELD)
            lane.come_back_in(held)
            return
        await self._take_slot(lane)
        reason = self._why_not_now(lane, entry)
        if reason is not None:
            lane.slots.release()
            await self._give_back(lane, [entry], reason)
            return
        await self._deliver(lane, entry, result)

    @staticmethod
    async def _take_slot(lane: Lane) -> None:
        """One of the lane's slots, at the lane's pace (unless it is held: the send goes back)."""
        await lane.slots.acquire()
        try:
            if lane.limiter is not None and not lane.hold_left():
                await lane.limiter.acquire()
        except BaseException:
            lane.slots.release()
            raise

    async def _booked(self, lane: Lane, batch: Sequence[OutboxEntry]) -> bool:
        """On a paced lane with a shared budget, book the batch's sends and wait for its turn
        (after the other instances' bookings and any 429 one of them heard); False, with the
        lane held, when that turn is further off than LONGEST_WAIT."""
        rate = lane.messenger.max_per_second
        if self._budget is None or rate is None:
            return True
        wait = await self._budget.reserve(lane.platform, len(batch), rate)
        if wait > LONGEST_WAIT:
            lane.hold_for(wait)
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        return True

    async def _give_back(self, lane: Lane, rows: Sequence[OutboxEntry], reason: str) -> None:
        """Claimed rows not sent: pending again, due when the lane's hold ends."""
        if rows:
            resume = self._clock.now() + timedelta(seconds=lane.hold_left())
            await self._store.release([e.id for e in rows], resume, reason)

    def _why_not_now(self, lane: Lane, entry: OutboxEntry) -> str | None:
        if self._stopping:
            return STOPPED
        if lane.hold_left():
            return HELD
        claimed = entry.claimed_at
        if claimed is not None and self._clock.now() - claimed > self._lease / 2:
            return STALE
        return None

    async def _deliver(self, lane: Lane, entry: OutboxEntry, result: DrainResult) -> None:
        """Send (holding one of the lane's slots), then record the outcome."""
        try:
            outcome = await lane.messenger.send(entry)
        except Exception as e:  # a bug or an outage in an adapter must not stop the outbox
            log.exception("sending outbox entry %s failed", entry.id)
            outcome = RetryLater(backoff(entry.attempts), repr(e)[:200])
        finally:
            lane.slots.release()
        now = self._clock.now()
        match outcome:
            case Sent():
                await lane.marks.record(entry.id)
                result.sent += 1
            case RetryLater(after_seconds, reason, throttled=True, scope=str() as scope):
                lane.hold_key(scope, after_seconds)
                await (self._budget or self._own_budget).hold(scope, after_seconds)
                await self._store.release([entry.id], after(now, after_seconds), reason)
                lane.come_back_in(after_seconds)
                result.throttled += 1
            case RetryLater(after_seconds, reason, throttled=True):
                lane.hold_for(after_seconds)
                if self._budget is not None:  # every instance waits, not this one alone
                    await self._budget.hold(lane.platform, after_seconds)
                await self._store.release([entry.id], after(now, after_seconds), reason)
                lane.throttles += 1  # counted once the row is back, so a finishing drain sees it
                result.throttled += 1
            case RetryLater(after_seconds, reason) if tries_left(entry):
                await self._store.retry_later(entry.id, after(now, after_seconds), reason)
                result.retried += 1
            case Uncertain(reason):
                await self._store.mark_uncertain(entry.id, reason)
                result.uncertain += 1
            case Failed(reason, whole_workspace=True):
                await self._store.mark_failed(entry.id, reason)
                result.failed += 1 + await self._store.fail_waiting(
                    entry.destination.workspace, reason
                )
            case Failed(reason):
                await self._store.mark_failed(entry.id, reason)
                result.failed += 1
                self._refused.append((entry, reason))
            case RetryLater(_, reason):
                await self._store.mark_failed(entry.id, reason)
                result.failed += 1

    async def _tell_refused(self) -> bool:
        """Tell `on_undeliverable` of the rows refused for good so far, one at a time and with no
        send in flight (its transaction never meets the store's); whether any was told. The rows
        are failed already, so a hook that breaks is logged and the outbox goes on."""
        told = bool(self._refused)
        while self._refused:
            entry, reason = self._refused.pop(0)
            try:
                await self._on_undeliverable(entry, reason)
            except Exception:
                log.exception("telling of undeliverable outbox entry %s failed", entry.id)
        return told

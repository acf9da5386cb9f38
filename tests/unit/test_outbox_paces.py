"""The dispatcher on a platform that limits each channel (Slack: about one post a second per
channel) and answers 429 for one route or method alone: a busy channel gets its posts in turn,
one a second, while every other channel keeps flowing; a 429 for one key holds that key only.
Time is virtual (see tests/support/virtual_time.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.kernel.model import MemberRef, OutboxEntry
from bot.kernel.ports import Delivery, Pace, RetryLater, Sent
from bot.runtime.budget import OwnBudget, plan_sends
from bot.runtime.outbox import OutboxDispatcher
from tests.support.fakes import MemoryOutboxStore
from tests.support.settings import START
from tests.support.virtual_time import LoopClock, run_in_virtual_time

KUDOS = "kudos"


def _now() -> float:
    return asyncio.get_running_loop().time()


@dataclass
class ChannelPlatform:
    """A platform that allows one post a second in each channel (the send's target) and answers
    429 (for that channel alone) to a faster one; `refuse_once` answers one 429 for a channel's
    first post, holding that channel `hold` seconds."""

    platform: str = "slack"
    resend_is_safe: bool = False
    max_per_second: float | None = 50.0
    refuse_once: set[str] = field(default_factory=set)
    hold: float = 3.0
    posts: list[tuple[float, str, str]] = field(default_factory=list)
    too_many: int = 0
    _last: dict[str, float] = field(default_factory=dict)
    _held: dict[str, float] = field(default_factory=dict)

    def paces(self, entry: OutboxEntry) -> Sequence[Pace]:
        return [Pace(f"channel:{entry.destination.target}", 1.0)]

    async def send(self, entry: OutboxEntry) -> Delivery:
        channel, now = entry.destination.target, _now()
        await asyncio.sleep(0.02)
        scope = f"channel:{channel}"
        if channel in self.refuse_once:
            self.refuse_once.discard(channel)
            self._held[channel] = now + self.hold
            self.too_many += 1
            return RetryLater(self.hold, "429", throttled=True, scope=scope)
        too_soon = now < self._last.get(channel, -1.0) + 0.999
        if too_soon or now < self._held.get(channel, 0.0):
            self.too_many += 1
            return RetryLater(1.0, "429", throttled=True, scope=scope)
        self._last[channel] = now
        self.posts.append((now, channel, entry.key))
        return Sent()

    def times(self, channel: str) -> list[float]:
        return [at for at, c, _ in self.posts if c == channel]


def _busy_workspace() -> MemoryOutboxStore:
    """20 kudos posts to one channel, then a DM to each of 20 other people."""
    store = MemoryOutboxStore()
    for i in range(20):
        store.queue(f"kudos:{i}", MemberRef("slack", "T1", KUDOS), START)
    for i in range(20):
        store.queue(f"dm:{i}", MemberRef("slack", "T1", f"U{i}"), START)
    return store


def _dispatcher(
    store: MemoryOutboxStore, platform: ChannelPlatform, budget: OwnBudget | None = None
) -> OutboxDispatcher:
    return OutboxDispatcher(store, {"slack": platform}, LoopClock(START), budget=budget)


def test_a_busy_channel_gets_one_post_a_second_while_other_channels_keep_flowing() -> None:
    store, platform = _busy_workspace(), ChannelPlatform()

    result = run_in_virtual_time(_dispatcher(store, platform).drain())

    kudos = platform.times(KUDOS)
    assert platform.too_many == 0
    assert len(kudos) == 20
    assert min(b - a for a, b in itertools.pairwise(kudos)) >= 0.999
    assert kudos[-1] - kudos[0] < 19 * 1.25  # about one a second, not one a tick
    dms = [at for at, channel, _ in platform.posts if channel != KUDOS]
    assert len(dms) == 20
    assert max(dms) < 1.5
    assert Counter(key for *_, key in platform.posts).most_common(1)[0][1] == 1
    assert result.sent == 40


def test_instances_sharing_a_budget_keep_one_post_a_second_in_a_channel_together() -> None:
    store, platform = _busy_workspace(), ChannelPlatform()
    budget = OwnBudget()
    instances = [_dispatcher(store, platform, budget=budget) for _ in range(2)]

    async def both() -> None:
        await asyncio.gather(*(instance.drain() for instance in instances))

    run_in_virtual_time(both())

    kudos = platform.times(KUDOS)
    assert platform.too_many == 0
    assert len(kudos) == 20
    assert min(b - a for a, b in itertools.pairwise(kudos)) >= 0.999
    assert sorted(key for *_, key in platform.posts) == sorted(
        [f"kudos:{i}" for i in range(20)] + [f"dm:{i}" for i in range(20)]
    )


def test_a_429_for_one_channel_holds_that_channel_alone_and_the_post_goes_once_after_it() -> None:
    store, platform = _busy_workspace(), ChannelPlatform(refuse_once={KUDOS}, hold=3.0)

    result = run_in_virtual_time(_dispatcher(store, platform).drain())

    kudos = platform.times(KUDOS)
    assert platform.too_many == 1  # the hold was kept: no second 429
    assert kudos[0] >= 3.0  # Retry-After obeyed as given
    dms = [at for at, channel, _ in platform.posts if channel != KUDOS]
    assert len(dms) == 20
    assert max(dms) < 1.5
    assert sorted(key for _, c, key in platform.posts if c == KUDOS) == sorted(
        f"kudos:{i}" for i in range(20)
    )
    assert result.throttled == 1
    assert all(entry.attempts <= 1 for entry in store.rows.values())  # the 429 cost no try


def test_a_limit_counted_per_minute_lets_a_minutes_worth_go_at_once_then_keeps_its_rate() -> None:
    opens = [[Pace("slack:T1:method:conversations.open", 50 / 60, burst=50)]] * 53

    waits, _ = plan_sends(opens, {}, now=0.0, within=60.0)

    assert waits[:50] == [0.0] * 50  # Slack's Tier 3: 50 a minute
    assert [round(wait, 2) for wait in waits[50:]] == [1.2, 2.4, 3.6]

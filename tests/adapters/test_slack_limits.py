"""Slack's limits as the outbox keeps them, against the fake Slack enforcing one post per
channel per interval: a busy kudos channel gets its posts in turn with no 429 while DMs in the
same workspace and in another keep flowing; a 429 holds the method and workspace it came from.
The interval is scaled down (half a second, the messenger told the same) so the test is short;
bench/slack_limits.py measures Slack's real second."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import SlackMessenger
from bot.kernel.model import Destination, OutboxEntry, OutboxStatus, WorkspaceRef
from bot.runtime.budget import OwnBudget
from bot.runtime.outbox import OutboxDispatcher
from tests.support.fakes import MemoryOutboxStore
from tests.support.settings import START
from tests.support.slack_fake import FakeSlack
from tests.support.virtual_time import LoopClock

INTERVAL = 0.5
BUSY, QUIET = WorkspaceRef("slack", "T0001"), WorkspaceRef("slack", "T0002")
KUDOS = "CKUDOS"
BUSY_PEOPLE = [f"UB{n:02}" for n in range(20)]
QUIET_PEOPLE = [f"UQ{n:02}" for n in range(10)]


def _queue(store: MemoryOutboxStore, where: Destination, key: str) -> None:
    entry_id = len(store.rows) + 1
    store.rows[entry_id] = OutboxEntry(
        entry_id, key, where, f"text of {key}", OutboxStatus.PENDING, 0, START, START
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        slack.add_channel(KUDOS, "kudos", member=True)
        for user in BUSY_PEOPLE + QUIET_PEOPLE:
            slack.add_user(user, user.lower())
        slack.limit_posts(INTERVAL)
        yield slack


def _dispatcher(fake: FakeSlack, store: MemoryOutboxStore) -> OutboxDispatcher:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url, retry_handlers=[])
    messenger = SlackMessenger(client, 20.0, posts_per_second_in_a_channel=1 / INTERVAL)
    return OutboxDispatcher(store, {"slack": messenger}, LoopClock(START), budget=OwnBudget())


async def test_a_busy_kudos_channel_gets_its_posts_in_turn_while_dms_keep_flowing(
    fake: FakeSlack,
) -> None:
    store = MemoryOutboxStore()
    for n in range(10):
        _queue(store, Destination(BUSY, "channel", KUDOS), f"kudos:{n}")
    for user in BUSY_PEOPLE:
        _queue(store, Destination(BUSY, "dm", user), f"dm:{user}")
    for user in QUIET_PEOPLE:
        _queue(store, Destination(QUIET, "dm", user), f"dm:{user}")

    result = await _dispatcher(fake, store).drain()

    assert [c for c in fake.calls_to("chat.postMessage") if c.status == 429] == []
    kudos = [at for channel, at in fake.post_times if channel == KUDOS]
    assert len(kudos) == 10
    assert 8 * INTERVAL <= kudos[-1] - kudos[0] < 9 * INTERVAL * 1.5  # in turn, no faster
    dms = [at for channel, at in fake.post_times if channel != KUDOS]
    assert len(dms) == 30
    assert max(dms) - min(dms) < 30 / 20.0 * 1.5  # at the platform's pace, not the channel's
    assert max(Counter(p.text for p in fake.posted).values()) == 1  # nothing twice
    assert result.sent == 40


async def test_a_429_holds_that_workspaces_posts_for_retry_after_and_the_post_goes_once(
    fake: FakeSlack,
) -> None:
    store = MemoryOutboxStore()
    _queue(store, Destination(BUSY, "dm", BUSY_PEOPLE[0]), "first")
    _queue(store, Destination(BUSY, "dm", BUSY_PEOPLE[1]), "second")
    _queue(store, Destination(QUIET, "dm", QUIET_PEOPLE[0]), "elsewhere")
    fake.fail_next("chat.postMessage", "ratelimited", retry_after=1)
    began = fake.now()

    result = await _dispatcher(fake, store).drain()

    posted = {p.text: at for p, (_, at) in zip(fake.posted, fake.post_times, strict=True)}
    assert sorted(posted) == ["text of elsewhere", "text of first", "text of second"]
    refused = fake.calls_to("chat.postMessage")[0]
    assert refused.status == 429
    assert posted[refused.params["text"]] - began >= 1.0  # Retry-After, as given
    assert posted["text of elsewhere"] - began < 0.5  # the other workspace was not held
    assert result.throttled == 1
    assert all(store.status_of(k) is OutboxStatus.SENT for k in ("first", "second", "elsewhere"))

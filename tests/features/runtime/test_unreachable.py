"""Sends the platform refuses for good or may have taken: a member a DM cannot reach is marked,
the moderators hear of it once and the member in the reply to their next command; a channel the
bot cannot post in is reported once a day; an uncertain send is kept and never sent again, while
an exception from the platform is retried."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.model import Actor, Member, MemberRef, OutboxEntry, OutboxStatus
from bot.kernel.ports import Delivery, Failed, RetryLater, Uncertain
from bot.runtime.outbox import MAX_ATTEMPTS, OutboxDispatcher
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.fakes import MemoryOutboxStore, RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import START

DEACTIVATED = "their Slack account is deactivated (account_inactive)"
NOT_IN_CHANNEL = "the app is not in that channel (not_in_channel)"
DM_NOTICE = "could not be delivered"
NOTE = "could not reach you"
POST_NOTICE = "I could not post in #algebra"


@dataclass
class RefusingMessenger(RecordingMessenger):
    """Answers `refuse[target]` to every send to that user or channel (raises it when it is an
    exception), and records the send."""

    refuse: dict[str, Delivery | Exception] = field(default_factory=dict)
    refused: list[OutboxEntry] = field(default_factory=list)

    async def send(self, entry: OutboxEntry) -> Delivery:
        outcome = self.refuse.get(entry.destination.target)
        if outcome is None:
            return await super().send(entry)
        self.refused.append(entry)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@pytest.fixture
def messenger() -> RefusingMessenger:
    return RefusingMessenger()


async def member(app: App, clock: ManualClock, name: str) -> Member:
    async with SqlUnitOfWorkFactory(app.engine, clock)() as uow:
        found = await uow.members.get(actor("w1", name).ref)
    assert found is not None
    return found


def notices(messenger: RecordingMessenger, to: str, text: str) -> list[str]:
    return [t for t in messenger.texts_to(to) if text in t]


async def test_a_refused_dm_marks_the_member_and_tells_each_moderator_once(
    app: App, say: Say, clock: ManualClock, messenger: RefusingMessenger
) -> None:
    pinging_name = Actor(actor("w1", "ada").ref, "Ada @here")
    assert (await app.bus.handle_text("/profile set role student", pinging_name)).ok
    assert (await app.bus.handle_text("/help", actor("w1", "Mona", moderator=True))).ok
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("morgan", "/circle create physics")).ok
    messenger.refuse["ada"] = Failed(DEACTIVATED)

    assert (await say("morgan", "/circle add @ada algebra")).ok
    clock.advance(timedelta(hours=1))
    assert (await say("morgan", "/circle add @ada physics")).ok

    assert len(messenger.refused) == 2
    for moderator in ("morgan", "mona"):
        assert len(notices(messenger, moderator, DM_NOTICE)) == 1
    [notice] = notices(messenger, "morgan", DM_NOTICE)
    assert "A direct message to Ada @\u200bhere could not be delivered" in notice
    assert DEACTIVATED in notice
    assert "the next time they use a command" in notice
    ada = await member(app, clock, "ada")
    assert ada.unreachable_since == START + timedelta(hours=1)
    assert ada.unreachable_reason == DEACTIVATED


async def test_the_member_learns_of_it_once_in_the_reply_to_their_next_command_that_works(
    app: App, say: Say, clock: ManualClock, messenger: RefusingMessenger
) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("ada", "/profile set role student")).ok
    messenger.refuse["ada"] = Failed(DEACTIVATED)
    assert (await say("morgan", "/circle add @ada algebra")).ok
    del messenger.refuse["ada"]

    refused = await say("ada", "/buddy met @nobody")
    assert not refused.ok
    assert NOTE not in refused.text
    told = await say("ada", "/buddy")
    again = await say("ada", "/buddy")

    assert told.text.startswith("You have no buddy right now.")
    assert f"a direct message I sent you on Tue 3 Mar {NOTE} ({DEACTIVATED})" in told.text
    assert "allow direct messages from this app" in told.text
    assert "/buddy and /checkin show what is current" in told.text
    assert NOTE not in again.text
    ada = await member(app, clock, "ada")
    assert ada.unreachable_since is None
    assert ada.unreachable_reason is None


async def test_a_refused_dm_to_someone_unknown_is_only_logged(
    app: App, say: Say, clock: ManualClock, messenger: RefusingMessenger
) -> None:
    messenger.refuse["morgan"] = Failed("they have closed their DMs (cannot_dm_bot)")
    assert (await say("ada", "/flag someone is unkind in the chat")).ok  # morgan: config only

    assert [e.destination.target for e in messenger.refused] == ["morgan"]
    assert messenger.sent == []
    assert NOTE not in (await say("ada", "/buddy")).text


async def test_a_refused_channel_post_tells_the_moderators_once_a_day_what_to_do(
    circle_with_people: Say, clock: ManualClock, messenger: RefusingMessenger
) -> None:
    say = circle_with_people
    messenger.refuse["#algebra"] = Failed(NOT_IN_CHANNEL)

    assert (await say("morgan", "/kudos @ada for explaining fractions so clearly")).ok
    assert (await say("morgan", "/kudos @maya for running the circle so well")).ok
    [notice] = notices(messenger, "morgan", POST_NOTICE)
    clock.advance(timedelta(days=1))
    assert (await say("morgan", "/kudos @ada for helping Ben with equations")).ok

    assert len(messenger.refused) == 3
    assert len(notices(messenger, "morgan", POST_NOTICE)) == 2
    assert NOT_IN_CHANNEL in notice
    assert "invite the app to #algebra" in notice
    assert "/circle set algebra channel #other" in notice
    assert messenger.texts_to("maya") != []  # her kudos DM still went


async def test_an_uncertain_send_is_kept_as_uncertain_and_never_sent_again(
    app: App, say: Say, messenger: RefusingMessenger
) -> None:
    assert (await say("ada", "/profile set role student")).ok
    assert (await say("morgan", "/circle create algebra")).ok
    messenger.refuse["ada"] = Uncertain("the connection dropped after sending")

    assert (await app.bus.handle_text("/circle add @ada algebra", actor("w1", "Morgan"))).ok
    first = await app.due.deliver()
    second = await app.due.run_due()

    assert first.uncertain == 1
    assert first.failed == 0
    assert second.uncertain == 0
    assert len(messenger.refused) == 1
    [entry] = await app.outbox.entries(OutboxStatus.UNCERTAIN)
    assert entry.destination.target == "ada"
    assert notices(messenger, "morgan", DM_NOTICE) == []


async def test_an_exception_from_the_platform_is_retried_not_marked(
    app: App, say: Say, clock: ManualClock, messenger: RefusingMessenger
) -> None:
    assert (await say("ada", "/profile set role student")).ok
    assert (await say("morgan", "/circle create algebra")).ok
    messenger.refuse["ada"] = ConnectionResetError("connection reset by peer")

    assert (await say("morgan", "/circle add @ada algebra")).ok

    [pending] = await app.outbox.entries(OutboxStatus.PENDING)
    assert pending.attempts == 1
    assert pending.destination.target == "ada"
    assert (await member(app, clock, "ada")).unreachable_since is None


async def test_only_a_refusal_for_good_reaches_the_hook_and_a_broken_hook_stops_nothing(
    clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    bob = MemberRef("console", "w1", "bob")
    store = MemoryOutboxStore()
    store.queue("refused", bob, START)
    store.queue("worn out", bob, START).attempts = MAX_ATTEMPTS - 1  # its last try
    store.queue("fine", bob, START)
    platform = RecordingMessenger()
    platform.outcomes.extend([Failed("DMs closed"), RetryLater(5.0, "timed out")])
    told: list[tuple[str, str]] = []

    async def hook(entry: OutboxEntry, reason: str) -> None:
        told.append((entry.key, reason))
        raise RuntimeError("the hook broke")

    dispatcher = OutboxDispatcher(
        store, {"console": platform}, clock, concurrency=1, on_undeliverable=hook
    )
    result = await dispatcher.drain()

    assert told == [("refused", "DMs closed")]
    assert result.failed == 2
    assert result.sent == 1
    assert store.status_of("refused") is OutboxStatus.FAILED
    assert store.status_of("worn out") is OutboxStatus.FAILED
    assert "telling of undeliverable outbox entry" in caplog.text

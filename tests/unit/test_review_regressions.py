"""Each test here once failed: bad input that crashed, leaked a ping, or lost a message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from adapters.config import ConfigError, parse_settings
from bot.kernel.durations import DurationError, parse_duration
from bot.kernel.model import OutboxStatus
from tests.fakes import RecordingMessenger
from tests.support.settings import START, settings_for
from tests.unit.conftest import Say


async def test_every_removal_is_told_even_when_ids_are_reused(
    circle_with_people: Say, messenger: RecordingMessenger
) -> None:
    say = circle_with_people
    for _ in range(2):
        assert (await say("morgan", "/circle add @ben algebra")).ok
        assert (await say("morgan", "/circle remove @ben algebra")).ok
    assert sum("no longer in algebra" in t for t in messenger.texts_to("ben")) == 2
    assert sum("added you to algebra" in t for t in messenger.texts_to("ben")) == 2


async def test_profile_lists_are_shown_unable_to_ping(say: Say) -> None:
    saved = await say("ada", "/profile set subjects @everyone, <!channel>, <@&123>")
    shown = (await say("ada", "/profile")).text
    for text in (saved.text, shown):
        assert "@everyone" not in text
        assert "<!channel>" not in text
        assert "<@&123>" not in text


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("/profile set stage ²", "Saved. stage: ²"),  # a short label, not a number
        ("/profile set capacity ²", "a number from 1 to 20"),
        ("/profile set capacity 99999999999999999999", "a number from 1 to 20"),
        ("/circle set algebra group-size ²", "a number from 2 to 8"),
    ],
)
async def test_odd_digits_get_an_answer_not_an_apology(
    circle_with_people: Say, line: str, answer: str
) -> None:
    reply = await circle_with_people("morgan", line)
    assert answer in reply.text


def test_absurd_durations_are_refused_plainly() -> None:
    with pytest.raises(DurationError):
        parse_duration("99999999999999999999w")


async def test_too_many_free_hour_ranges_are_refused(say: Say) -> None:
    ranges = "; ".join(f"mon {h:02d}:00-{h:02d}:30" for h in range(22))
    reply = await say("ada", f"/profile set hours {ranges}")
    assert not reply.ok
    assert "more than 21 separate ranges" in reply.text


@pytest.mark.parametrize(
    "line",
    [
        "/circle info @everyone",
        "/help @everyone",
        "/circle list <!channel>",
        "/circle set algebra channel @everyone",
        "/profile set timezone <!here>",
    ],
)
async def test_nothing_typed_is_echoed_as_a_ping(circle_with_people: Say, line: str) -> None:
    text = (await circle_with_people("morgan", line)).text
    assert "@everyone" not in text
    assert "<!channel>" not in text
    assert "<!here>" not in text


async def test_a_very_long_line_is_not_echoed_in_full(say: Say) -> None:
    reply = await say("ada", "/circle list " + "y" * 3000)
    assert not reply.ok
    assert len(reply.text) < 300


def test_a_malformed_storage_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings({"storage": {"url": "postgresql+asyncpg://u:p@h:notaport/db"}})
    assert "[storage] url" in str(raised.value)


async def test_a_restart_delivers_what_a_crash_left_mid_send(tmp_path: Path) -> None:
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    clock = ManualClock(START)
    first = await bootstrap(settings, clock, {"console": RecordingMessenger()})
    assert (await first.bus.handle_text("/circle list", _morgan())).ok
    await _queue_one(first)
    assert len(await first.outbox.claim(clock.now(), 10, ["console"])) == 1  # then it dies
    await first.close()

    clock.advance(timedelta(minutes=10))
    messenger = RecordingMessenger()
    second = await bootstrap(settings, clock, {"console": messenger})
    await second.due.deliver()
    await second.close()
    assert [e.text for e in messenger.sent] == ["hello"]
    statuses = [e.status for e in await second.outbox.entries()]
    assert statuses == [OutboxStatus.SENT]


def _morgan():  # type: ignore[no-untyped-def]
    from adapters.console.people import actor

    return actor("w1", "Morgan", moderator=True)


async def _queue_one(app) -> None:  # type: ignore[no-untyped-def]
    from bot.kernel.model import Destination, OutgoingMessage
    from storage.unit_of_work import SqlUnitOfWorkFactory

    async with SqlUnitOfWorkFactory(app.engine, ManualClock(START))() as uow:
        ref = _morgan().ref
        await uow.outbox.add(OutgoingMessage.notice(Destination.dm(ref), "hello"), START)
        await uow.commit()

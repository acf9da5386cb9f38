"""The endings no member chose (a safeguarding rule, an erasure), the limits a block and a pause
put on connections, privacy's rules for reflections, and every mistake answered with what to do,
changing nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from tests.features.connections.test_connections import (
    QUESTION,
    ended_after_meeting,
    exported,
    kept,
    questions_to,
)
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import settings_for
from tests.support.stored import rows


@pytest.fixture
async def app(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[App]:
    """Reflections are kept for 30 days here."""
    application = await bootstrap(
        settings_for(
            "sqlite+aiosqlite://", moderators=["console:morgan"], privacy={"retention_days": 30}
        ),
        clock,
        {"console": messenger},
    )
    yield application
    await application.close()


async def test_a_pairing_a_safeguarding_rule_ends_asks_nothing(
    say: Say, messenger: RecordingMessenger
) -> None:
    """An adult and a minor separated by a moderator are not asked to stay in touch."""
    assert (await say("noah", "/findbuddy")).ok
    assert "Noah" in (await say("ada", "/findbuddy")).text
    assert (await say("ada", "/buddy met @noah")).ok
    assert (await say("morgan", "/profile set @noah adult on")).ok
    assert any("pairing with Noah has ended" in t for t in messenger.texts_to("ada"))
    assert questions_to(messenger, "ada") == questions_to(messenger, "noah") == []
    assert not (await say("ada", "/buddy keep @noah")).ok


async def test_when_a_partner_erases_their_data_the_other_is_asked_only_to_reflect(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert (await say("ben", "/findbuddy")).ok
    assert (await say("ada", "/buddy met @ben")).ok
    messenger.sent.clear()
    assert (await say("ben", "/privacy delete confirm")).ok
    [asked] = questions_to(messenger, "ada")
    assert asked.text.startswith("Now that your buddy pairing is over, one question")
    assert "Ben" not in asked.text
    assert "Stay in touch" not in asked.text
    assert asked.actions == ()
    assert questions_to(messenger, "ben") == []
    assert (await say("ada", "/buddy reflect We kept each other going")).ok


async def test_an_erased_members_connections_and_reflections_go(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    await kept(say)
    assert (await say("ben", "/buddy reflect Secret words of Ben")).ok
    assert (await say("ada", "/buddy reflect Ada's own words")).ok
    assert (await say("ben", "/privacy delete confirm")).ok
    assert "In touch" not in (await say("ada", "/buddy")).text
    assert await rows(app, "SELECT * FROM connections") == []
    left = await rows(app, "SELECT text FROM reflections")
    assert [r["text"] for r in left] == ["Ada's own words"], "Ada's stays hers"
    mine = exported(await say("ada", "/privacy export"))
    assert [r["pairing_with"] for r in mine["reflections"]] == ["(former member)"]


async def test_blocking_someone_withdraws_the_connection_and_nobody_is_told(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    await kept(say)
    sent_before = len(messenger.sent)
    assert (await say("ada", "/block @ben")).ok
    assert len(messenger.sent) == sent_before
    assert "In touch" not in (await say("ada", "/buddy")).text
    assert "In touch" not in (await say("ben", "/buddy")).text


async def test_a_yes_to_someone_who_blocked_you_keeps_nothing(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    assert (await say("ada", "/buddy keep @ben")).ok
    assert (await say("ada", "/block @ben")).ok
    answer = await say("ben", "/buddy keep @ada")
    assert answer.text.startswith("Noted. If Ada says yes too")
    assert not any("said yes too" in t for t in messenger.texts_to("ada"))
    assert "In touch" not in (await say("ben", "/buddy")).text


async def test_a_paused_members_connections_rest_until_they_are_back(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    await kept(say)
    assert (await say("ben", "/pause 2w")).ok
    assert "In touch" not in (await say("ada", "/buddy")).text
    assert (await say("ben", "/pause off")).ok
    assert "In touch with Ben" in (await say("ada", "/buddy")).text


async def test_reflections_older_than_the_retention_lose_their_words(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    assert (await say("ada", "/buddy reflect Old words")).ok
    await app.due.run_due()
    written = sorted(r["text"] for r in await rows(app, "SELECT text FROM reflections"))
    assert written == ["", "Old words"]
    clock.advance(timedelta(days=31))
    await app.due.run_due()
    left = await rows(app, "SELECT text, stay_asked FROM reflections ORDER BY id")
    assert [r["text"] for r in left] == ["", ""]
    assert len(left) == 2, "each keeps its row"


async def test_keeping_someone_you_were_never_paired_with_is_refused(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    assert (await say("cleo", "/profile")).ok
    refused = await say("ada", "/buddy keep @cleo")
    assert not refused.ok
    assert "I never asked you about staying in touch with Cleo" in refused.text
    assert "/buddy" in refused.text
    unknown = await say("ada", "/buddy keep @nobody")
    assert not unknown.ok
    assert "I don't know @nobody here" in unknown.text
    yourself = await say("ada", "/buddy keep @ada")
    assert not yourself.ok
    assert "That is you" in yourself.text


async def test_answering_twice_is_refused_and_the_first_answer_stands(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    assert (await say("ada", "/buddy letgo @ben")).ok
    again = await say("ada", "/buddy keep @ben")
    assert not again.ok
    assert "You already said no about staying in touch with Ben; that answer stands." in again.text
    no_again = await say("ada", "/buddy letgo @ben")
    assert not no_again.ok
    assert "You already said no" in no_again.text
    assert (await say("ben", "/buddy keep @ada")).ok
    assert "In touch" not in (await say("ben", "/buddy")).text
    assert (await say("ada", "/buddy reflect First")).ok
    twice = await say("ada", "/buddy reflect Second")
    assert not twice.ok
    assert "You already answered the question about your pairing with Ben" in twice.text
    mine = exported(await say("ada", "/privacy export"))
    assert [r["my_reflection"] for r in mine["reflections"]] == ["First"]


async def test_a_reflection_of_two_thousand_characters_is_refused_saying_the_limit(
    say: Say, messenger: RecordingMessenger
) -> None:
    await ended_after_meeting(say, messenger)
    refused = await say("ada", "/buddy reflect " + "x" * 2000)
    assert not refused.ok
    assert "500" in refused.text
    assert (await say("ada", "/buddy reflect Short and kept")).ok


async def test_reflecting_with_nothing_asked_or_no_words_says_what_to_do(say: Say) -> None:
    nothing = await say("ada", "/buddy reflect Something")
    assert not nothing.ok
    assert "There is no question for you to answer" in nothing.text
    empty = await say("ada", "/buddy reflect")
    assert not empty.ok
    assert "/buddy reflect <your words>" in empty.text


async def test_letting_go_of_a_connection_that_does_not_exist_is_refused(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("ben", "/profile")).ok
    refused = await say("ada", "/buddy letgo @ben")
    assert not refused.ok
    assert "You are not in touch with Ben" in refused.text
    assert QUESTION not in refused.text

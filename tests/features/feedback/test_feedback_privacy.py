"""Ratings of meetings and privacy: a member's export holds the ratings and notes they wrote,
never the ratings about them or who gave them; erasing a member blanks the notes they wrote and
those about them while the scores stay as anonymous numbers (the programme's counts rest on
them); notes older than the retention are blanked."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import settings_for
from tests.support.stored import exported, rows


@pytest.fixture
async def app(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[App]:
    """Notes are kept for 30 days here."""
    application = await bootstrap(
        settings_for(
            "sqlite+aiosqlite://", moderators=["console:morgan"], privacy={"retention_days": 30}
        ),
        clock,
        {"console": messenger},
    )
    yield application
    await application.close()


RATINGS = """SELECT rater.user_id AS rater, rated.user_id AS rated, r.score, r.note
    FROM meeting_ratings r JOIN members rater ON rater.id = r.rater_id
    JOIN members rated ON rated.id = r.rated_id ORDER BY r.id"""


async def rated_both_ways(say: Say) -> None:
    """Ada and Ben met and rated each other, each with a note; Cleo and Ben too."""
    assert (await say("ada", "/findbuddy")).ok
    assert (await say("ben", "/findbuddy")).ok
    assert (await say("ada", "/buddy met @ben")).ok
    assert (await say("ada", "/feedback 4 @ben Ada's note about Ben")).ok
    assert (await say("ben", "/feedback 2 @ada Ben's note about Ada")).ok
    assert (await say("ben", "/buddy end @ada")).ok
    assert (await say("cleo", "/findbuddy")).ok
    assert (await say("ben", "/findbuddy")).ok
    assert (await say("cleo", "/buddy met @ben")).ok
    assert (await say("cleo", "/feedback 5 @ben Cleo's note about Ben")).ok


async def test_the_export_holds_the_ratings_i_gave_and_nothing_of_the_ratings_about_me(
    say: Say,
) -> None:
    await rated_both_ways(say)
    reply = await say("ada", "/privacy export")
    assert "1 meeting you rated" in reply.text
    document = exported(reply)
    [mine] = document["meetings_i_rated"]
    assert mine["buddy"] == "Ben"
    assert (mine["rating"], mine["note"], mine["circle"]) == (4, "Ada's note about Ben", None)
    whole = json.dumps(document)
    assert "Ben's note about Ada" not in whole
    assert '"rating": 2' not in whole
    ben = exported(await say("ben", "/privacy export"))
    assert [(m["buddy"], m["rating"]) for m in ben["meetings_i_rated"]] == [("Ada", 2)]
    assert "Cleo" not in json.dumps(ben["meetings_i_rated"])
    assert "Ada's note" not in json.dumps(ben)
    assert "Cleo's note" not in json.dumps(ben)


async def test_erasing_blanks_the_notes_by_and_about_them_and_keeps_the_scores_anonymous(
    app: App, say: Say
) -> None:
    await rated_both_ways(say)
    assert (await say("ada", "/privacy delete confirm")).ok
    assert [(r["score"], r["note"]) for r in await rows(app, RATINGS)] == [
        (4, ""),
        (2, ""),
        (5, "Cleo's note about Ben"),
    ]
    outbox = " ".join(e.text for e in await app.outbox.entries())
    assert "Ada's note about Ben" not in outbox
    assert "Ben's note about Ada" not in outbox
    assert "Ada" not in outbox
    # Ben's average still counts the score Ada gave, from someone no longer named.
    reply = await say("ben", "/feedback mine")
    assert "1 more person to go" in reply.text


async def test_notes_older_than_the_retention_are_blanked_and_the_scores_stay(
    app: App, say: Say, clock: ManualClock
) -> None:
    await rated_both_ways(say)
    clock.advance(timedelta(days=20))
    assert (await say("ada", "/feedback 3 @ben Ada's later note")).ok
    clock.advance(timedelta(days=11))
    await app.due.run_due()
    assert [(r["rater"], r["score"], r["note"]) for r in await rows(app, RATINGS)] == [
        ("ada", 3, "Ada's later note"),
        ("ben", 2, ""),
        ("cleo", 5, ""),
    ]
    outbox = " ".join(e.text for e in await app.outbox.entries())
    assert "Ben's note about Ada" not in outbox
    assert "Ada's later note" in outbox

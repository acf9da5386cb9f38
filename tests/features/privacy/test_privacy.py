"""Privacy as members and moderators meet it: a member exports everything stored about them and
nothing private of anyone else, erases it after confirming while the programme's counts still add
up, old answers and concerns are purged, and every moderator read or action is in the audit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from bot.kernel.model import Action
from bot.kernel.ports import RetryLater
from tests.support.databases import TABLES
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import settings_for
from tests.support.stored import rows

MONDAY = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
ERASE_BUTTON = Action("Yes, erase my data", "/privacy delete confirm", "danger")


@pytest.fixture
async def app(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[App]:
    """Everyone may give kudos here, and answers and concerns are kept for 30 days."""
    application = await bootstrap(
        settings_for(
            "sqlite+aiosqlite://",
            moderators=["console:morgan"],
            kudos={"givers": "everyone"},
            privacy={"retention_days": 30},
        ),
        clock,
        {"console": messenger},
    )
    yield application
    await application.close()


async def programme(app: App, say: Say, clock: ManualClock) -> None:
    """Ada in algebra (weekly check-ins for everyone) with a buddy, kudos both ways, concerns and
    blocks; Ben and Maya with private data of their own; Ada added to chess and taken out."""
    for name in ("ada", "ben"):
        assert (await say(name, "/profile set role student")).ok
    assert (await say("ada", "/profile set bio I love proofs and chess")).ok
    assert (await say("maya", "/profile set role mentor")).ok
    assert (await say("morgan", "/profile set timezone Europe/London")).ok
    assert (await say("morgan", "/circle create algebra")).ok
    for key, value in (("cadence", "weekly"), ("day", "mon"), ("checkin-audience", "everyone")):
        assert (await say("morgan", f"/circle set algebra {key} {value}")).ok
    for name in ("ada", "ben", "maya"):
        assert (await say(name, "/circle join algebra")).ok
    assert (await say("morgan", "/circle create chess")).ok
    assert (await say("morgan", "/circle add @ada chess")).ok
    assert (await say("morgan", "/circle remove @ada chess")).ok
    clock.current = MONDAY
    await app.due.run_due()
    assert (await say("ada", "/checkin concern Tough week | Not yet | Worried about exams")).ok
    assert (await say("maya", "/checkin answer Fine | Yes | Maya's private note")).ok
    assert (await say("ben", "/checkin answer Ben's secret answer")).ok
    assert (await say("ada", "/flag Someone is unkind in the chat")).ok
    assert (await say("ben", "/flag Ben's own worry")).ok
    assert "buddy queue" in (await say("ada", "/findbuddy")).text
    assert "study buddy" in (await say("ben", "/findbuddy")).text
    assert (await say("ada", "/buddy met @ben")).ok
    assert (await say("maya", "/kudos @ada Great questions in algebra")).ok
    assert (await say("ada", "/kudos @ben Explains fractions clearly")).ok
    assert (await say("maya", "/kudos @ben Kind to everyone")).ok
    assert (await say("morgan", "/kudos @ada Given to the wrong person")).ok
    assert (await say("morgan", "/kudos revoke 4 wrong person")).ok
    assert (await say("ada", "/block @maya")).ok
    assert (await say("ben", "/block @ada")).ok


async def everything(app: App) -> dict[str, list[dict[str, Any]]]:
    return {table: await rows(app, f"SELECT * FROM {table} ORDER BY 1") for table in TABLES}


async def member_id(app: App, user_id: str) -> int:
    [row] = await rows(app, f"SELECT id FROM members WHERE user_id = '{user_id}'")
    return int(row["id"])


def exported(reply: Any) -> dict[str, Any]:
    [file] = reply.files
    assert file.media_type == "application/json"
    document: dict[str, Any] = json.loads(file.content.decode("utf-8"))
    return document


async def test_the_export_holds_everything_about_the_member_and_nothing_private_of_others(
    app: App, say: Say, clock: ManualClock
) -> None:
    await programme(app, say, clock)
    reply = await say("ada", "/privacy export")
    assert reply.ok
    assert reply.private
    [file] = reply.files
    assert file.name == "mentor-circles-export-2026-03-09.json"
    assert "1 circle, 1 buddy request, 2 pairings, 1 check-in with your answers" in reply.text
    assert "1 kudos given and 2 received, 2 concerns you raised" in reply.text
    doc = exported(reply)

    assert doc["member"]["display_name"] == "Ada"
    assert doc["member"]["user_id"] == "ada"
    assert doc["member"]["moderator"] is False
    assert doc["member"]["member_since"] == "2026-03-03T10:00:00+00:00"
    assert doc["profile"]["bio"] == "I love proofs and chess"
    assert [(c["circle"], c["role"]) for c in doc["circles"]] == [("algebra", "mentee")]
    assert [r["status"] for r in doc["buddy_requests"]] == ["matched"]
    assert [(p["kind"], p["circle"], p["partners"]) for p in doc["pairings"]] == [
        ("round", "algebra", ["Maya", "Ben"]),
        ("on-demand", None, ["Ben"]),
    ]
    assert doc["pairings"][1]["did_we_meet"] == "met"
    assert doc["pairings"][1]["ended_at"] is None
    [checkin] = doc["checkins"]
    assert checkin["circle"] == "algebra"
    assert checkin["answers"][2] == {
        "question": "Anything the moderators should know?",
        "answer": "Worried about exams",
    }
    assert checkin["marked_as_concern"] is True
    assert [(k["to"], k["reason"]) for k in doc["kudos_given"]] == [
        ("Ben", "Explains fractions clearly")
    ]
    assert [(k["from"], k["revoked"]) for k in doc["kudos_received"]] == [
        ("Maya", False),
        ("Morgan", True),
    ]
    assert doc["kudos_received"][1]["revoke_reason"] == "wrong person"
    assert [f["text"] for f in doc["concerns_raised"]] == [
        "Tough week\nNot yet\nWorried about exams",
        "Someone is unkind in the chat",
    ]
    assert [m["milestone"] for m in doc["milestones"]] == ["first-kudos"]
    assert [b["name"] for b in doc["blocked"]] == ["Maya"]
    assert [(e["action"], e["subject"], e["by"]) for e in doc["audit_entries_about_me"]] == [
        ("circle.add", "chess", "a moderator or facilitator"),
        ("circle.remove", "chess", "a moderator or facilitator"),
        ("kudos.revoke", "kudos 4", "a moderator or facilitator"),
    ]

    raw = file.content.decode("utf-8")
    for private in ("Maya's private note", "Ben's secret answer", "Ben's own worry", "Kind to"):
        assert private not in raw
    audit = (await say("morgan", "/audit 1")).text
    assert "Ada · exported their own data" in audit


async def test_asking_to_erase_explains_and_changes_nothing(
    app: App, say: Say, clock: ManualClock
) -> None:
    await programme(app, say, clock)
    before = await everything(app)
    reply = await say("ada", "/privacy delete")
    assert reply.ok
    assert reply.private
    assert reply.actions == (ERASE_BUTTON,)
    assert "To erase: /privacy delete confirm" in reply.text
    assert "(former member)" in reply.text
    assert await everything(app) == before


async def test_erasing_removes_personal_data_and_keeps_the_counts(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await programme(app, say, clock)
    ada, ben = await member_id(app, "ada"), await member_id(app, "ben")
    messenger.outcomes.append(RetryLater(600, "busy"))
    assert (await say("ben", "/kudos @ada Thanks for the notes")).ok
    held = await rows(app, "SELECT key FROM outbox WHERE target = 'ada' AND status = 'pending'")
    assert held
    counted = (
        "SELECT (SELECT count(*) FROM kudos) AS kudos, (SELECT count(*) FROM pairings) AS pairings,"
        " (SELECT count(*) FROM pairing_seats) AS seats, (SELECT count(*) FROM checkins) AS"
        " checkins, (SELECT count(*) FROM kudos WHERE revoked_at IS NULL AND recipient_id ="
        f" {ben}) AS ben_received"
    )
    counts = await rows(app, counted)
    statuses = await rows(app, "SELECT id, status FROM checkins ORDER BY id")
    top = (await say("morgan", "/kudos top all")).text

    reply = await say("ada", "/privacy delete confirm")
    assert reply.ok
    assert "your personal data is erased" in reply.text

    # Her round trio goes on for Ben and Maya without her seat; everything else is still counted.
    assert await rows(app, counted) == [{**counts[0], "seats": counts[0]["seats"] - 1}]
    assert await rows(app, "SELECT id, status FROM checkins ORDER BY id") == statuses
    assert "Ben: 2 received" in top
    assert "Ben: 2 received" in (await say("morgan", "/kudos top all")).text
    [me] = await rows(app, f"SELECT * FROM members WHERE id = {ada}")
    assert me["display_name"] == "(former member)"
    assert me["user_id"].startswith("erased-")
    assert len(me["user_id"]) == len("erased-") + 32
    assert me["bio"] == ""
    assert me["erased_at"] is not None
    assert not me["listed"]
    for query in (
        f"SELECT * FROM memberships WHERE member_id = {ada}",
        f"SELECT * FROM flags WHERE member_id = {ada} AND text <> ''",
        f"SELECT * FROM milestones WHERE member_id = {ada}",
        f"SELECT * FROM blocks WHERE member_id = {ada} OR blocked_id = {ada}",
        f"SELECT * FROM buddy_requests WHERE member_id = {ada} AND status = 'waiting'",
        f"SELECT * FROM checkins WHERE member_id = {ada} AND CAST(answers AS TEXT) <> '[]'",
        f"SELECT * FROM kudos WHERE (giver_id = {ada} OR recipient_id = {ada}) AND reason <> ''",
        f"SELECT * FROM pairing_seats WHERE member_id = {ada} AND reasons <> ''",
        "SELECT * FROM pairing_seats WHERE reasons LIKE '%Ada%'",
        "SELECT * FROM outbox WHERE target = 'ada' OR text LIKE '%Ada%' OR text LIKE '%exams%'",
        "SELECT * FROM audit_entries WHERE subject LIKE '%Ada%' OR detail LIKE '%Ada%'",
    ):
        assert await rows(app, query) == [], query
    # Her concerns stay counted for /stats, with nothing in them; Ben's is untouched.
    assert len(await rows(app, f"SELECT * FROM flags WHERE member_id = {ada}")) == 2
    assert len(await rows(app, "SELECT * FROM flags WHERE text <> ''")) == 1
    assert [k["reason"] for k in await rows(app, "SELECT reason FROM kudos WHERE id = 3")] == [
        "Kind to everyone"
    ]

    ended = await rows(app, "SELECT kind, ended_at, end_reason FROM pairings ORDER BY id")
    assert [(p["kind"], p["ended_at"] is not None, p["end_reason"]) for p in ended] == [
        ("round", False, None),
        ("on-demand", True, None),
    ]
    assert [t for t in messenger.texts_to("ben") if "has ended" in t] == [
        "Your buddy pairing from Mon 9 Mar has ended. /buddy shows the buddies you have; "
        "/findbuddy finds a new one whenever you like."
    ]
    assert [t for t in messenger.texts_to("maya") if "has ended" in t] == []
    for partner, other in (("ben", "Maya"), ("maya", "Ben")):
        assert messenger.texts_to(partner)[-1] == (
            f"One person has left your buddy group from Mon 9 Mar; you are still with {other}. "
            "/buddy shows it."
        )

    sent_to_ada = len(messenger.texts_to("ada"))
    clock.advance(timedelta(hours=1))
    await app.due.run_due()
    assert len(messenger.texts_to("ada")) == sent_to_ada
    assert not any("Thanks for the notes" in t for t in messenger.texts_to("ada"))

    back = await say("ada", "/privacy export")
    again = exported(back)
    assert await member_id(app, "ada") != ada
    assert again["member"]["display_name"] == "Ada"
    assert again["circles"] == []
    assert again["pairings"] == []
    assert again["kudos_received"] == []
    assert again["profile"]["bio"] == ""


async def test_answers_and_concerns_older_than_the_retention_are_purged(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    for key, value in (("cadence", "weekly"), ("day", "mon"), ("checkin-audience", "everyone")):
        assert (await say("morgan", f"/circle set algebra {key} {value}")).ok
    assert (await say("ada", "/circle join algebra")).ok
    for monday, said in ((MONDAY, "Old"), (MONDAY + timedelta(weeks=4), "New")):
        clock.current = monday
        await app.due.run_due()
        assert (await say("ada", f"/checkin answer {said} answer")).ok
        assert (await say("ada", f"/flag {said} worry about the bus")).ok
    answers = "SELECT period, status, answers FROM checkins WHERE status = 'answered' ORDER BY id"
    assert [json.loads(r["answers"])[0] for r in await rows(app, answers)] == [
        "Old answer",
        "New answer",
    ]

    clock.current = MONDAY + timedelta(weeks=5)  # 13 April: 30 days back is 14 March
    await app.due.run_due()
    kept = await rows(app, answers)
    assert [(r["status"], json.loads(r["answers"])[:1]) for r in kept] == [
        ("answered", []),
        ("answered", ["New answer"]),
    ]
    assert [f["text"] for f in await rows(app, "SELECT text FROM flags ORDER BY id")] == [
        "",
        "New worry about the bus",
    ], "an old concern keeps its row (it is still counted) but not its words"
    outbox = [e.text for e in await app.outbox.entries()]
    assert not any("Old worry" in t for t in outbox)
    assert any("New worry" in t for t in outbox)
    assert any("Old worry" in t for t in messenger.texts_to("morgan"))

    await app.due.run_due()
    assert await rows(app, answers) == kept


async def test_the_audit_lists_moderator_actions_and_reads_newest_first(
    app: App, say: Say, clock: ManualClock
) -> None:
    await programme(app, say, clock)
    status = await say("morgan", "/checkin status algebra")
    assert "Raised a concern: 1: Ada" in status.text
    assert (await say("ada", "/privacy export")).ok
    assert (await say("ada", "/privacy delete confirm")).ok

    refused = await say("ben", "/audit")
    assert not refused.ok
    assert "Only moderators" in refused.text
    lines = (await say("morgan", "/audit")).text.splitlines()
    assert lines[0] == "Audit trail, newest first (times in Europe/London):"
    assert lines[1:] == [
        "• Mon 9 Mar, 09:30 · (former member) · erased their own data",
        "• Mon 9 Mar, 09:30 · (former member) · exported their own data",
        "• Mon 9 Mar, 09:30 · Morgan · read the check-in status of algebra"
        " · check-in 2026-W11, 3 people",
        "• Mon 9 Mar, 09:30 · Morgan · revoked kudos 4 · (former member) · wrong person",
        "• Tue 3 Mar, 10:00 · Morgan · removed from chess · (former member)",
        "• Tue 3 Mar, 10:00 · Morgan · added to chess · (former member)",
    ]
    assert len((await say("morgan", "/audit 2")).text.splitlines()) == 3

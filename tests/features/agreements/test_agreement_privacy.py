"""An agreement confirmed is the member's data: in their export, gone when they erase it, and
seen only by the people of the pairing (and, when unconfirmed, named to the moderators)."""

from __future__ import annotations

import json

from adapters.bootstrap import App
from tests.features.agreements.test_agreements import mentor_and_mentee
from tests.support.scenes import Say
from tests.support.stored import rows


async def test_the_export_holds_the_agreement_i_confirmed_and_my_bio(say: Say) -> None:
    assert (await say("ada", "/profile set bio Chess and proofs")).ok
    await mentor_and_mentee(say)
    assert (await say("ada", "/agreement confirm")).ok
    reply = await say("ada", "/privacy export")
    assert "1 agreement you confirmed" in reply.text
    [file] = reply.files
    doc = json.loads(file.content.decode("utf-8"))
    assert doc["agreements_confirmed"] == [
        {"with": ["Maya"], "confirmed_at": "2026-03-03T10:00:00+00:00"}
    ]
    assert doc["profile"]["bio"] == "Chess and proofs"
    maya = json.loads((await say("maya", "/privacy export")).files[0].content.decode("utf-8"))
    assert maya["agreements_confirmed"] == []


async def test_erasing_removes_my_agreement_confirmations(app: App, say: Say) -> None:
    await mentor_and_mentee(say)
    assert (await say("ada", "/agreement confirm")).ok
    assert (await say("maya", "/agreement confirm")).ok
    assert (await say("ada", "/privacy delete confirm")).ok
    [left] = await rows(
        app, "SELECT m.user_id FROM agreements a JOIN members m ON m.id = a.member_id"
    )
    assert left == {"user_id": "maya"}


async def test_nobody_outside_the_pairing_sees_who_confirmed(say: Say) -> None:
    await mentor_and_mentee(say)
    assert (await say("ada", "/agreement confirm")).ok
    for outsider in ("ben", "morgan"):
        reply = await say(outsider, "/agreement")
        assert not reply.ok
        assert "Ada" not in reply.text

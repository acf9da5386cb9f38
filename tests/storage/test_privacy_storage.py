"""A member's export and erasure, the retention purge and the audit trail with whom each entry is
about, on SQLite and PostgreSQL, and the migration that adds what they need."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, bindparam, event, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from adapters.clock import ManualClock
from bot.kernel.mentions import Composer
from bot.kernel.model import (
    CheckinStatus,
    Circle,
    CircleRole,
    CircleSettings,
    Destination,
    Member,
    MilestoneKind,
    NewAuditEntry,
    NewBuddyRequest,
    NewCheckin,
    NewCircle,
    NewFlag,
    NewKudos,
    NewMembership,
    NewPairing,
    NewSeat,
    OutgoingMessage,
    Pairing,
    PairingKind,
)
from bot.privacy.ports import Purged
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.old_schema import at_revision_with_ada, migrate
from tests.support.plans import query_plan
from tests.support.settings import START
from tests.support.storage_people import HERE, THERE, add_members

DAY = timedelta(days=1)
LABEL = "(former member)"


@dataclass
class World:
    ada: Member
    ben: Member
    ada_there: Member
    circle: Circle
    pairing: Pairing
    flags: dict[str, int]
    kudos: dict[str, int]


async def _world(uows: SqlUnitOfWorkFactory) -> World:
    """Ada and Ben in Algebra, paired, with check-ins, kudos both ways, a flag each, blocks both
    ways, a milestone and audit entries; and another Ada in another workspace."""
    ada, ben = await add_members(uows, "ada", "ben")
    (ada_there,) = await add_members(uows, "ada", workspace=THERE)
    async with uows() as uow:
        circle = await uow.circles.add(NewCircle(HERE, "Algebra", created_at=START))
        for who in (ada, ben):
            await uow.circles.add_membership(
                NewMembership(circle.id, who, CircleRole.MENTEE, joined_at=START)
            )
        await uow.buddies.add_request(NewBuddyRequest(ada, START, START + 3 * DAY, "algebra"))
        pairing = await uow.buddies.add_pairing(
            NewPairing(
                HERE,
                PairingKind.ON_DEMAND,
                [NewSeat(ada, reasons="both study algebra"), NewSeat(ben, reasons="Ada: algebra")],
                START,
                end_reason=None,
            )
        )
        checkins = [
            NewCheckin(circle, who, "2026-W10", START, START + DAY, ("How?", "Why?"))
            for who in (ada, ben)
        ]
        for checkin, said in zip(checkins, ("Ada's answer", "Ben's answer"), strict=True):
            checkin.status, checkin.answers = CheckinStatus.ANSWERED, (said, "")
        await uow.checkins.add_all(checkins)
        flags = {
            who.display_name: (await uow.flags.add(NewFlag(HERE, who, f"{text} worry", START))).id
            for who, text in ((ada, "Ada's"), (ben, "Ben's"))
        }
        kudos = {}
        for giver, recipient, reason in ((ben, ada, "Ada helped"), (ada, ben, "Ben explains")):
            given = await uow.kudos.add(
                NewKudos(
                    HERE, giver, recipient, reason, START, f"k:{giver.id}", circle_id=circle.id
                )
            )
            assert given is not None
            kudos[giver.display_name] = given.id
        await uow.milestones.reach(ada.id, MilestoneKind.FIRST_KUDOS, START)
        await uow.buddies.add_block(ada.id, ben.id, START)
        await uow.buddies.add_block(ben.id, ada.id, START)
        for about, subject in ((ada, "Algebra"), (ben, "Algebra"), (None, "kudos 1 to Ada")):
            await uow.audit.add(
                NewAuditEntry(HERE, ben, "circle.add", subject, "", START, about=about)
            )
        await uow.commit()
    return World(ada, ben, ada_there, circle, pairing, flags, kudos)


async def _rows(engine: AsyncEngine, query: str) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(r._mapping) for r in await connection.execute(text(query))]


async def test_the_export_holds_the_members_own_records_and_names_others_only(
    uows: SqlUnitOfWorkFactory,
) -> None:
    world = await _world(uows)
    async with uows() as uow:
        data = await uow.privacy.personal_data(world.ada)
        theirs = await uow.privacy.personal_data(world.ada_there)

    assert data.member_since == START
    assert [(c.name, m.role) for c, m in data.memberships] == [("Algebra", CircleRole.MENTEE)]
    assert [r.subject for r in data.requests] == ["algebra"]
    [pairing] = data.pairings
    assert [m.display_name for m in pairing.others(world.ada.id)] == ["Ben"]
    assert [c.answers for c in data.checkins] == [("Ada's answer", "")]
    assert sorted((k.giver.display_name, k.reason) for k in data.kudos) == [
        ("Ada", "Ben explains"),
        ("Ben", "Ada helped"),
    ]
    assert [f.text for f in data.flags] == ["Ada's worry"]
    assert data.milestones == [(MilestoneKind.FIRST_KUDOS, START)]
    assert [(m.display_name, at) for m, at in data.blocks] == [("Ben", START)]
    [entry] = data.audit
    assert entry.about == world.ada
    assert entry.actor_name == "Ben"
    assert data.circle_names == {world.circle.id: "Algebra"}

    assert theirs.memberships == []
    assert theirs.pairings == []
    assert theirs.checkins == []
    assert theirs.kudos == []
    assert theirs.flags == []
    assert theirs.blocks == []
    assert theirs.audit == []


async def test_the_export_names_a_private_circle_only_to_who_was_in_it_or_got_its_kudos(
    uows: SqlUnitOfWorkFactory,
) -> None:
    """Kudos given before they kept to the giver's circles may point at a private circle of the
    recipient's: the giver's export does not name it; an open one it does."""
    world = await _world(uows)
    (cat,) = await add_members(uows, "cat")
    async with uows() as uow:
        hidden = await uow.circles.add(
            NewCircle(HERE, "support", settings=CircleSettings(private=True), created_at=START)
        )
        open_one = await uow.circles.add(NewCircle(HERE, "chess", created_at=START))
        for circle in (hidden, open_one):
            await uow.circles.add_membership(
                NewMembership(circle.id, cat, CircleRole.MENTEE, joined_at=START)
            )
            await uow.kudos.add(
                NewKudos(HERE, world.ada, cat, "thanks", START, f"k:{circle.name}", None, circle.id)
            )
        await uow.commit()
    async with uows() as uow:
        givers = await uow.privacy.personal_data(world.ada)
        recipients = await uow.privacy.personal_data(cat)
    assert givers.circle_names == {world.circle.id: "Algebra", open_one.id: "chess"}
    assert recipients.circle_names == {hidden.id: "support", open_one.id: "chess"}


async def test_erasing_blanks_and_deletes_only_what_is_theirs(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    world = await _world(uows)
    ada_flag, ben_flag = world.flags["Ada"], world.flags["Ben"]
    to_ada, to_ben = Destination.dm(world.ada.ref), Destination.dm(world.ben.ref)
    messages = [
        OutgoingMessage("later", to_ada, "a message waiting for Ada"),
        OutgoingMessage("in-flight", to_ada, "being sent to Ada"),
        OutgoingMessage("hello-ben", to_ben, "hello Ben"),
        OutgoingMessage(f"flag:{ada_flag}:to:mod", Destination.dm(HERE.member("mod")), "Ada's"),
        OutgoingMessage(f"flag:{ben_flag}:to:mod", Destination.dm(HERE.member("mod")), "Ben's"),
        OutgoingMessage(f"flag:{ada_flag}0:to:mod", Destination.dm(HERE.member("mod")), "n"),
        OutgoingMessage(f"kudos:{world.kudos['Ada']}:dm", to_ben, "Ada gave you kudos"),
        OutgoingMessage(f"pairing:{world.pairing.id}:matched:{world.ben.id}", to_ben, "Ada"),
        OutgoingMessage("to-other-ada", Destination.dm(world.ada_there.ref), "hi"),
    ]
    async with uows() as uow:
        await uow.outbox.add_all(messages, START)
        await uow.audit.add(NewAuditEntry(HERE, world.ben, "note", "Adam and Ada", "Ada!", START))
        await uow.audit.add(
            NewAuditEntry(
                HERE, world.ben, "kudos.revoke", "kudos 9 to Ada", "", START, about=world.ada
            )
        )
        await uow.commit()
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE outbox SET status = 'sending' WHERE key = 'in-flight'")
        )

    async with uows() as uow:
        await uow.privacy.erase_records(world.ada, LABEL)
        await uow.commit()

    ada, ben = world.ada.id, world.ben.id
    checkins = await _rows(
        engine, "SELECT member_id, status, CAST(answers AS TEXT) AS answers FROM checkins"
    )
    assert {(r["member_id"], r["status"], r["answers"]) for r in checkins} == {
        (ada, "answered", "[]"),
        (ben, "answered", '["Ben\'s answer", ""]'),
    }
    flags = await _rows(engine, "SELECT member_id, text FROM flags WHERE text <> ''")
    assert [r["member_id"] for r in flags] == [ben]
    kudos = await _rows(engine, "SELECT reason, dedupe_key FROM kudos ORDER BY id")
    assert [k["reason"] for k in kudos] == ["", ""]
    assert [k["dedupe_key"] for k in kudos] == [f"erased:{i}" for i in sorted(world.kudos.values())]
    assert [r["reasons"] for r in await _rows(engine, "SELECT reasons FROM pairing_seats")] == [
        "",
        "",
    ]
    for table in ("blocks", "milestones"):
        assert await _rows(engine, f"SELECT * FROM {table}") == [], table
    left = {r["key"] for r in await _rows(engine, "SELECT key FROM outbox")}
    assert left == {
        "in-flight",
        "hello-ben",
        f"flag:{ben_flag}:to:mod",
        f"flag:{ada_flag}0:to:mod",
        "to-other-ada",
    }
    audit = await _rows(engine, "SELECT subject, detail FROM audit_entries ORDER BY id")
    assert [(a["subject"], a["detail"]) for a in audit] == [
        ("Algebra", ""),
        ("Algebra", ""),
        # Not about her and not by her: her name there is someone else's words, never rewritten.
        ("kudos 1 to Ada", ""),
        ("Adam and Ada", "Ada!"),
        (f"kudos 9 to {LABEL}", ""),
    ]
    async with uows() as uow:
        assert await uow.kudos.received_count(ben) == 1
        assert await uow.circles.circle_ids_of(ada) == {world.circle.id}  # the caller's
    requests = await _rows(engine, "SELECT status FROM buddy_requests")
    assert [r["status"] for r in requests] == ["waiting"]  # the caller's too


async def test_erasing_one_of_a_group_rewrites_what_is_theirs_by_id(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    """Ada, Ben and Cat in an open trio and an ended one; Ada's parts of messages recorded as
    hers, though she goes by Zed now; a "did you meet?" waiting for Ben; a kudos Ada gave, revoked
    (the audit entry written when subjects still named people, and about Cat)."""
    ada, ben, cat = await add_members(uows, "ada", "ben", "cat")
    mod = Destination.dm(HERE.member("mod"))
    later = START + 3 * DAY
    reasons = {"Ada": "Ben: b\nCat: c", "Ben": "Ada: a\nCat: c", "Cat": "Ada: a\nBen: b"}
    async with uows() as uow:
        going_on, ended = [
            await uow.buddies.add_pairing(
                NewPairing(
                    HERE,
                    PairingKind.ROUND,
                    [NewSeat(m, reasons=reasons[m.display_name]) for m in (ada, ben, cat)],
                    START,
                    ended_at=ended_at,
                )
            )
            for ended_at in (None, START + DAY)
        ]
        kudos = await uow.kudos.add(NewKudos(HERE, ada, cat, "thanks", START, "k1"))
        assert kudos is not None
        await uow.audit.add(
            NewAuditEntry(HERE, ben, "kudos.revoke", f"kudos {kudos.id} to Cat from A", "", START)
        )
        # As the writers record them: Ada went by "Ada Long-Name" then.
        summary, matched = Composer(), Composer()
        summary.add("Skipped: 2: ")
        summary.about(ada.id, "Ada Long-Name (sad)")
        summary.add(", ")
        summary.about(ben.id, "Ben (away)")
        matched.add("you are with ")
        matched.about(ada.id, "Ada Long-Name")
        matched.add(" and ")
        matched.about(cat.id, "Cat")
        matched.add(". Why:")
        matched.about(ada.id, "\nAda: a", instead="")
        matched.about(cat.id, "\nCat: c", instead="")
        matched.add("\nSay hello")
        await uow.outbox.add_all(
            [
                OutgoingMessage(
                    "digest:1:W10:to:mod", mod, summary.text, mentions=summary.mentions
                ),
                OutgoingMessage(
                    f"pairing:{going_on.id}:matched:{ben.id}",
                    Destination.dm(ben.ref),
                    matched.text,
                    mentions=matched.mentions,
                ),
                OutgoingMessage(
                    f"pairing:{going_on.id}:ask:{ben.id}:{START.isoformat()}",
                    Destination.dm(ben.ref),
                    "Did you meet Ada and Cat?",
                    later,
                ),
                OutgoingMessage(f"pairing:{ended.id}:matched:{cat.id}", mod, "Ada and Ben"),
                OutgoingMessage("digest:1:W09:to:mod", mod, "Missing: 1: Ada Long-Name"),
            ],
            START,
        )
        await uow.commit()
    async with uows() as uow:
        await uow.privacy.erase_records(replace(ada, display_name="Zed"), LABEL)
        await uow.commit()

    seats = await _rows(
        engine, "SELECT pairing_id, member_id, reasons, ask_at FROM pairing_seats ORDER BY id"
    )
    assert [(s["pairing_id"], s["member_id"], s["reasons"]) for s in seats] == [
        (going_on.id, ben.id, "Cat: c"),
        (going_on.id, cat.id, "Ben: b"),
        (ended.id, ada.id, ""),
        (ended.id, ben.id, "Cat: c"),
        (ended.id, cat.id, "Ben: b"),
    ]
    assert seats[0]["ask_at"] is not None  # Ben is asked again, about Cat alone
    outbox = {r["key"]: r for r in await _rows(engine, "SELECT key, text FROM outbox")}
    assert outbox["digest:1:W10:to:mod"]["text"] == f"Skipped: 2: {LABEL}, Ben (away)"
    assert outbox[f"pairing:{going_on.id}:matched:{ben.id}"]["text"] == (
        f"you are with {LABEL} and Cat. Why:\nCat: c\nSay hello"
    )
    # Queued before messages recorded whose parts are whose, under a name she no longer has:
    # nothing ties it to her.
    assert outbox["digest:1:W09:to:mod"]["text"] == "Missing: 1: Ada Long-Name"
    assert set(outbox) == {
        "digest:1:W10:to:mod",
        f"pairing:{going_on.id}:matched:{ben.id}",
        "digest:1:W09:to:mod",
    }
    async with uows() as uow:
        [entry] = await uow.audit.recent(HERE, 10)
    assert entry.subject == f"kudos {kudos.id}"
    # Ben's mention in the summary moved with the text, so erasing him later finds his part.
    async with uows() as uow:
        await uow.privacy.erase_records(ben, LABEL)
        await uow.commit()
    [digest] = await _rows(engine, "SELECT text FROM outbox WHERE key = 'digest:1:W10:to:mod'")
    assert digest["text"] == f"Skipped: 2: {LABEL}, {LABEL}"


async def _purge_world(uows: SqlUnitOfWorkFactory, engine: AsyncEngine) -> World:
    """The world of `_world` (all of it at START), and more of Ben's two days later."""
    world = await _world(uows)
    later = START + 2 * DAY
    async with uows() as uow:
        checkin = NewCheckin(world.circle, world.ben, "2026-W11", later, later + DAY, ("How?",))
        checkin.status, checkin.skip_reason = CheckinStatus.SKIPPED, "on holiday"
        await uow.checkins.add(checkin)
        await uow.flags.add(NewFlag(HERE, world.ben, "Ben's later worry", later))
        to_ben = Destination.dm(world.ben.ref)
        await uow.outbox.add_all(
            [OutgoingMessage(key, to_ben, key) for key in ("old", "old-pending", "new")], START
        )
        await uow.commit()
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE outbox SET status = 'sent' WHERE key IN ('old', 'new')")
        )
        await connection.execute(
            text("UPDATE outbox SET next_attempt_at = :later WHERE key = 'new'").bindparams(
                bindparam("later", type_=UTCDateTime())
            ),
            {"later": later},
        )
    return world


async def test_the_purge_takes_what_is_older_than_the_cutoff_once(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    await _purge_world(uows, engine)
    cutoff = START + DAY + timedelta(hours=1)  # after the first check-ins closed, before the next
    async with uows() as uow:
        assert await uow.privacy.purge_before(cutoff) == Purged(answers=2, flags=2, messages=1)
        await uow.commit()
    async with uows() as uow:
        assert await uow.privacy.purge_before(cutoff) == Purged(answers=0, flags=0, messages=0)
        await uow.commit()

    checkins = await _rows(
        engine,
        "SELECT period, status, skip_reason, CAST(answers AS TEXT) AS answers FROM checkins",
    )
    assert sorted((r["period"], r["status"], r["answers"], r["skip_reason"]) for r in checkins) == [
        ("2026-W10", "answered", "[]", ""),
        ("2026-W10", "answered", "[]", ""),
        ("2026-W11", "skipped", "[]", "on holiday"),
    ]
    assert [r["text"] for r in await _rows(engine, "SELECT text FROM flags WHERE text <> ''")] == [
        "Ben's later worry"
    ]
    left = {r["key"] for r in await _rows(engine, "SELECT key FROM outbox")}
    assert left == {"old-pending", "new"}


@contextmanager
def _statements(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """The UPDATE and DELETE statements the engine runs inside the block, as sent."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Connection, cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith(("UPDATE", "DELETE")):
            seen.append((sql, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_the_purge_finds_what_is_left_through_indexes(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    await _purge_world(uows, engine)
    with _statements(engine) as seen:
        async with uows() as uow:
            await uow.privacy.purge_before(START + DAY + timedelta(hours=1))
    # check-ins, flags, the flags' messages, meeting ratings' notes, delivered messages, goal
    # notes, reflections
    assert len(seen) == 7
    for sql, params in [seen[0], seen[1], seen[3], seen[4]]:
        plan = await query_plan(engine, sql, params)
        assert "ix_" in plan, (sql, plan)
        assert "Seq Scan" not in plan
        assert "SCAN " not in plan.replace("INDEX SCAN", "")


async def test_the_audit_trail_names_whom_each_entry_is_about_as_they_are_now(
    uows: SqlUnitOfWorkFactory,
) -> None:
    world = await _world(uows)
    async with uows() as uow:
        entries = await uow.audit.recent(HERE, 10)
        assert [(e.subject, e.about.display_name if e.about else None) for e in entries] == [
            ("kudos 1 to Ada", None),
            ("Algebra", "Ben"),
            ("Algebra", "Ada"),
        ]
        ada = await uow.members.get(world.ada.ref)
        assert ada is not None
        ada.display_name, ada.erased_at = LABEL, START + DAY
        await uow.members.save(ada)
        await uow.commit()
    async with uows() as uow:
        [*_, oldest] = await uow.audit.recent(HERE, 10)
        assert await uow.audit.recent(THERE, 10) == []
    assert oldest.about is not None
    assert oldest.about.display_name == LABEL
    assert oldest.about.erased_at == START + DAY


async def test_0006_upgrades_a_database_in_use_and_downgrades_without_losing_rows(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        await at_revision_with_ada(engine, "0005")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO audit_entries (platform, workspace_id, actor_id, action, subject,"
                    " detail, created_at) SELECT 'slack', 'T1', id, 'kudos.revoke', 'kudos 1',"
                    " 'oops', :now FROM members"
                ).bindparams(bindparam("now", type_=UTCDateTime())),
                {"now": START},
            )
        await upgrade(engine)

        uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
        async with uows() as uow:
            ada = await uow.members.get(HERE.member("ada"))
            circle = await uow.circles.get_by_name(HERE, "algebra")
            assert ada is not None
            assert circle is not None
            assert ada.erased_at is None
            # The new column did not copy (and so empty) the tables that point at members.
            assert await uow.circles.membership(circle.id, ada.id) is not None
            [old] = await uow.audit.recent(HERE, 10)
            assert old.about is None
            assert old.actor is not None
            again = (old.workspace, old.actor, old.action, old.subject, old.detail, old.created_at)
            await uow.audit.add(NewAuditEntry(*again, about=ada))
            await uow.flags.add(NewFlag(HERE, ada, "worry", START))
            await uow.commit()
        async with uows() as uow:
            assert len((await uow.privacy.personal_data(ada)).audit) == 1
            assert await uow.privacy.purge_before(START + DAY) == Purged(0, 1, 0)
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
            )
        assert differences == []

        async with engine.begin() as connection:
            await connection.run_sync(migrate, "downgrade", "0005")
            kept = await connection.execute(text("SELECT count(*) FROM memberships"))
            assert kept.scalar_one() == 1
            audit = await connection.execute(text("SELECT count(*) FROM audit_entries"))
            assert audit.scalar_one() == 2
            columns = await connection.run_sync(
                lambda c: {
                    table: {column["name"] for column in inspect(c).get_columns(table)}
                    for table in ("members", "audit_entries")
                }
            )
            assert "erased_at" not in columns["members"]
            assert "about_id" not in columns["audit_entries"]
            indexes = await connection.run_sync(
                lambda c: {
                    i["name"] for t in ("flags", "checkins") for i in inspect(c).get_indexes(t)
                }
            )
            assert "ix_flags_created_at" not in indexes
            assert "ix_checkins_holding_answers" not in indexes
        await upgrade(engine)
        async with uows() as uow:
            entries = await uow.audit.recent(HERE, 10)
        assert [e.about for e in entries] == [None, None]
    finally:
        await engine.dispose()

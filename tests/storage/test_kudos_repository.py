"""Kudos, milestones, the audit trail and the counts they use on SQLite and PostgreSQL, and the
migration that adds them."""

from __future__ import annotations

from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from adapters.clock import ManualClock
from bot.kernel.model import (
    CheckinStatus,
    Circle,
    CircleRole,
    CircleSettings,
    Kudos,
    KudosCount,
    MeetingAnswer,
    Member,
    MilestoneKind,
    NewAuditEntry,
    NewCheckin,
    NewCircle,
    NewKudos,
    NewMember,
    NewMembership,
    NewPairing,
    NewSeat,
    PairingKind,
    WorkspaceRef,
)
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.as_added import as_added
from tests.support.old_schema import at_revision_with_ada, migrate
from tests.support.settings import START
from tests.support.storage_people import HERE, THERE, add_members

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _kudos(
    giver: Member,
    recipient: Member,
    key: str,
    *,
    at: timedelta = timedelta(),
    circle: Circle | None = None,
    reason: str = "thanks",
) -> NewKudos:
    circle_id = circle.id if circle is not None else None
    return NewKudos(
        giver.ref.workspace, giver, recipient, reason, START + at, key, circle_id=circle_id
    )


async def _give(uows: SqlUnitOfWorkFactory, *kudos: NewKudos) -> list[Kudos]:
    """Give them; each comes back as it went in, with its id."""
    async with uows() as uow:
        added = [await uow.kudos.add(k) for k in kudos]
        await uow.commit()
    given = [k for k in added if k is not None]
    assert [as_added(k, NewKudos) for k in given] == list(kudos)
    return given


async def _revoke(uows: SqlUnitOfWorkFactory, kudos: Kudos, by: Member) -> None:
    async with uows() as uow:
        found = await uow.kudos.get(kudos.workspace, kudos.id)
        assert found is not None
        found.revoked_at, found.revoked_by, found.revoke_reason = START + HOUR, by, "spam"
        await uow.kudos.save(found)
        await uow.commit()


async def _circle(uows: SqlUnitOfWorkFactory, name: str) -> Circle:
    async with uows() as uow:
        circle = await uow.circles.add(
            NewCircle(HERE, name, created_at=START, schedule_since=START)
        )
        await uow.commit()
    return circle


async def _hide_praise(uows: SqlUnitOfWorkFactory, member: Member) -> None:
    member.profile.public_kudos = False
    async with uows() as uow:
        await uow.members.save(member)
        await uow.commit()


async def test_a_kudos_round_trips_with_its_members_and_revocation(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, mod = await add_members(uows, "ada", "bob", "mod")
    algebra = await _circle(uows, "Algebra")
    kudos = _kudos(ada, bob, "k1", circle=algebra, reason="x" * 400)
    kudos.value = "kindness"
    (kudos,) = await _give(uows, kudos)

    async with uows() as uow:
        found = await uow.kudos.get(HERE, kudos.id)
    assert found is not None
    assert (found.giver.id, found.recipient.id, found.revoked_by) == (ada.id, bob.id, None)
    assert found.giver.display_name == "Ada"
    assert (found.value, found.circle_id, found.dedupe_key) == ("kindness", algebra.id, "k1")
    assert found.reason == "x" * 300
    assert found.created_at == START

    await _revoke(uows, kudos, mod)
    async with uows() as uow:
        revoked = await uow.kudos.get(HERE, kudos.id)
    assert revoked is not None
    assert revoked.revoked_by is not None
    assert revoked.revoked_by.id == mod.id
    assert (revoked.revoked_at, revoked.revoke_reason) == (START + HOUR, "spam")


async def test_a_duplicate_kudos_is_refused_and_the_transaction_carries_on(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    async with uows() as uow:
        assert await uow.kudos.add(_kudos(ada, bob, "click-1")) is not None
        assert await uow.kudos.add(_kudos(ada, bob, "click-1", at=HOUR)) is None
        # The refused insert left the transaction usable.
        assert await uow.kudos.add(_kudos(ada, cat, "click-2")) is not None
        await uow.commit()
    async with uows() as uow:
        assert await uow.kudos.add(_kudos(cat, bob, "click-2")) is None
        await uow.commit()

    async with uows() as uow:
        assert await uow.kudos.given_since(ada.id, START) == 2
        assert await uow.kudos.given_since(cat.id, START) == 0
        assert await uow.kudos.received_count(bob.id) == 1


async def test_get_finds_only_the_workspaces_own_kudos(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    (kudos,) = await _give(uows, _kudos(ada, bob, "k1"))
    async with uows() as uow:
        assert await uow.kudos.get(THERE, kudos.id) is None
        assert await uow.kudos.get(WorkspaceRef("discord", "T1"), kudos.id) is None
        here = await uow.kudos.get(HERE, kudos.id)
        assert here is not None
        assert here.id == kudos.id


async def test_revoked_kudos_leave_every_count_and_wall(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, mod = await add_members(uows, "ada", "bob", "mod")
    kept, revoked = await _give(uows, _kudos(ada, bob, "k1"), _kudos(ada, bob, "k2", at=HOUR))
    await _revoke(uows, revoked, mod)

    async with uows() as uow:
        assert await uow.kudos.given_since(ada.id, START) == 1
        assert await uow.kudos.received_count(bob.id) == 1
        assert [k.id for k in await uow.kudos.recent(HERE, None, 10, None)] == [kept.id]
        counts = await uow.kudos.counts_since(HERE, None, 10, None)
        assert [(c.member.id, c.received, c.given) for c in counts] == [
            (bob.id, 1, 0),
            (ada.id, 0, 1),
        ]
        # Giving again after a revoked one is allowed by the time window.
        assert await uow.kudos.gave_to_since(ada.id, bob.id, START + HOUR) is False
        assert await uow.kudos.gave_to_since(ada.id, bob.id, START) is True


async def test_given_since_and_gave_to_since_count_from_the_time_on(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    await _give(uows, _kudos(ada, bob, "k1"), _kudos(ada, cat, "k2", at=DAY))
    async with uows() as uow:
        assert await uow.kudos.given_since(ada.id, START) == 2
        assert await uow.kudos.given_since(ada.id, START + HOUR) == 1
        assert await uow.kudos.given_since(ada.id, START + 2 * DAY) == 0
        assert await uow.kudos.gave_to_since(ada.id, cat.id, START + DAY) is True
        assert await uow.kudos.gave_to_since(ada.id, bob.id, START + DAY) is False
        assert await uow.kudos.gave_to_since(bob.id, ada.id, START) is False


async def test_recent_is_newest_first_in_a_circle_and_leaves_out_who_hides_praise(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat, eve = await add_members(uows, "ada", "bob", "cat", "eve")
    (dan,) = await add_members(uows, "dan", workspace=THERE)
    algebra = await _circle(uows, "Algebra")
    first = _kudos(ada, bob, "k1", circle=algebra)
    second = _kudos(bob, ada, "k2", at=HOUR)
    third = _kudos(eve, bob, "k3", at=2 * HOUR, circle=algebra)
    to_private = _kudos(ada, cat, "k4", at=3 * HOUR, circle=algebra)
    from_private = _kudos(cat, ada, "k6", at=4 * HOUR, circle=algebra)
    first, second, third, *_ = await _give(
        uows, first, second, third, to_private, _kudos(dan, dan, "k5"), from_private
    )
    await _hide_praise(uows, cat)

    async with uows() as uow:
        everywhere = await uow.kudos.recent(HERE, None, 10, None)
        in_algebra = await uow.kudos.recent(HERE, algebra.id, 10, None)
        newest = await uow.kudos.recent(HERE, None, 2, None)
    assert [k.id for k in everywhere] == [third.id, second.id, first.id]
    assert [k.id for k in in_algebra] == [third.id, first.id]
    assert [k.id for k in newest] == [third.id, second.id]
    # Kudos of one result that share a member share its object.
    assert everywhere[0].recipient is everywhere[2].recipient


async def test_a_private_circles_kudos_are_seen_and_counted_by_its_members_and_moderators_only(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    async with uows() as uow:
        support = await uow.circles.add(
            NewCircle(
                HERE,
                "support",
                settings=CircleSettings(private=True),
                created_at=START,
                schedule_since=START,
            )
        )
        for member in (ada, bob):
            await uow.circles.add_membership(
                NewMembership(support.id, member, CircleRole.MENTEE, joined_at=START)
            )
        await uow.commit()
    algebra = await _circle(uows, "algebra")
    hidden = _kudos(ada, bob, "k1", circle=support)
    shown = _kudos(cat, bob, "k2", at=HOUR, circle=algebra)
    anywhere = _kudos(bob, cat, "k3", at=2 * HOUR)
    hidden, shown, anywhere = await _give(uows, hidden, shown, anywhere)

    async with uows() as uow:
        for viewer, wall, bobs in (
            (None, [anywhere, shown, hidden], 2),
            (ada.id, [anywhere, shown, hidden], 2),
            (cat.id, [anywhere, shown], 1),
        ):
            seen = await uow.kudos.recent(HERE, None, 10, viewer)
            assert [k.id for k in seen] == [k.id for k in wall], viewer
            counts = await uow.kudos.counts_since(HERE, None, 10, viewer)
            assert [c.received for c in counts if c.member.id == bob.id] == [bobs], viewer
        assert await uow.kudos.recent(HERE, support.id, 10, cat.id) == []
        assert len(await uow.kudos.recent(HERE, support.id, 10, bob.id)) == 1


async def test_counts_since_orders_by_received_then_given_then_name_within_the_window(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat, dan, eve = await add_members(uows, "ada", "bob", "cat", "dan", "eve")
    (far,) = await add_members(uows, "far", workspace=THERE)
    await _give(
        uows,
        _kudos(ada, bob, "old", at=-DAY),
        _kudos(ada, cat, "k1"),
        _kudos(bob, cat, "k2"),
        _kudos(cat, dan, "k3"),
        _kudos(dan, bob, "k4"),
        _kudos(eve, ada, "k5"),
        _kudos(far, far, "k6"),
    )

    async with uows() as uow:
        window = await uow.kudos.counts_since(HERE, START, 10, None)
        ever = await uow.kudos.counts_since(HERE, None, 10, None)
        top = await uow.kudos.counts_since(HERE, START, 2, None)
    # cat 2/1; then 1 received: ada 1/1, bob 1/1, dan 1/1 by name; eve 0/1.
    assert window == [
        KudosCount(cat, 2, 1),
        KudosCount(ada, 1, 1),
        KudosCount(bob, 1, 1),
        KudosCount(dan, 1, 1),
        KudosCount(eve, 0, 1),
    ]
    assert [(c.member.id, c.received, c.given) for c in ever[:2]] == [
        (bob.id, 2, 1),
        (cat.id, 2, 1),
    ]
    assert ever[2] == KudosCount(ada, 1, 2)
    assert [c.member.id for c in top] == [cat.id, ada.id]


async def test_counts_since_drops_members_who_turned_public_praise_off(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    await _give(uows, _kudos(ada, bob, "k1"), _kudos(bob, cat, "k2"), _kudos(cat, ada, "k3"))
    await _hide_praise(uows, bob)
    async with uows() as uow:
        counts = await uow.kudos.counts_since(HERE, None, 10, None)
    assert [(c.member.id, c.received, c.given) for c in counts] == [
        (ada.id, 1, 1),
        (cat.id, 1, 1),
    ]


async def test_a_milestone_is_reached_once_per_member_and_kind(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    async with uows() as uow:
        assert await uow.milestones.reach(ada.id, MilestoneKind.FIRST_KUDOS, START) is True
        assert await uow.milestones.reach(ada.id, MilestoneKind.FIRST_KUDOS, START) is False
        # The refused insert left the transaction usable.
        assert await uow.milestones.reach(ada.id, MilestoneKind.TENTH_CHECKIN, START)
        await uow.commit()
    async with uows() as uow:
        assert await uow.milestones.reach(ada.id, MilestoneKind.TENTH_CHECKIN, START) is False
        assert await uow.milestones.reach(bob.id, MilestoneKind.FIRST_KUDOS, START) is True
        await uow.commit()


async def test_answered_count_counts_answered_checkins_in_every_circle(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    algebra, physics = await _circle(uows, "Algebra"), await _circle(uows, "Physics")

    def checkin(circle: Circle, member: Member, period: str, status: CheckinStatus) -> NewCheckin:
        return NewCheckin(circle, member, period, START, START + DAY, ("How?",), status=status)

    async with uows() as uow:
        await uow.checkins.add_all(
            [
                checkin(algebra, ada, "W1", CheckinStatus.ANSWERED),
                checkin(algebra, ada, "W2", CheckinStatus.MISSED),
                checkin(algebra, ada, "W3", CheckinStatus.OPEN),
                checkin(algebra, bob, "W1", CheckinStatus.ANSWERED),
            ]
        )
        await uow.checkins.add(checkin(physics, ada, "W1", CheckinStatus.ANSWERED))
        await uow.checkins.add(checkin(physics, ada, "W2", CheckinStatus.SKIPPED))
        await uow.commit()
    async with uows() as uow:
        assert await uow.checkins.answered_count(ada.id) == 2
        assert await uow.checkins.answered_count(bob.id) == 1


async def test_meetings_held_counts_seats_answered_met(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")

    def pairing(at: timedelta, *answers: tuple[Member, MeetingAnswer | None]) -> NewPairing:
        seats = [NewSeat(m, answer=answer) for m, answer in answers]
        return NewPairing(HERE, PairingKind.ROUND, seats, START + at)

    async with uows() as uow:
        for p in (
            pairing(timedelta(), (ada, MeetingAnswer.MET), (bob, MeetingAnswer.MET)),
            pairing(DAY, (ada, MeetingAnswer.MET), (cat, MeetingAnswer.NOT_YET)),
            pairing(2 * DAY, (ada, MeetingAnswer.COULDNT), (bob, None)),
        ):
            await uow.buddies.save_pairing(await uow.buddies.add_pairing(p))
        await uow.commit()
    async with uows() as uow:
        assert await uow.buddies.meetings_held(ada.id) == 2
        assert await uow.buddies.meetings_held(bob.id) == 1
        assert await uow.buddies.meetings_held(cat.id) == 0


async def test_audit_entries_come_newest_first_within_the_workspace(
    uows: SqlUnitOfWorkFactory, engine: AsyncEngine
) -> None:
    mod, gone = await add_members(uows, "mod", "gone")
    (other,) = await add_members(uows, "other", workspace=THERE)

    def entry(actor: Member, action: str, at: timedelta) -> NewAuditEntry:
        return NewAuditEntry(actor.ref.workspace, actor, action, "kudos 1", "why", START + at)

    async with uows() as uow:
        await uow.audit.add(entry(mod, "first", timedelta()))
        await uow.audit.add(entry(gone, "second", HOUR))
        await uow.audit.add(entry(mod, "third", 2 * HOUR))
        await uow.audit.add(entry(other, "elsewhere", 3 * HOUR))
        await uow.commit()
    async with uows() as uow:
        assert [e.action for e in await uow.audit.recent(HERE, 10)] == [
            "third",
            "second",
            "first",
        ]
        assert [e.action for e in await uow.audit.recent(HERE, 1)] == ["third"]
    # Deleting the actor keeps the entry, with no actor: it names them "(deleted)".
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM members WHERE id = :id"), {"id": gone.id})
    async with uows() as uow:
        entries = await uow.audit.recent(HERE, 10)
    assert [(e.actor.id if e.actor else None, e.actor_name) for e in entries] == [
        (mod.id, "Mod"),
        (None, "(deleted)"),
        (mod.id, "Mod"),
    ]
    assert entries[0].detail == "why"


async def test_is_bot_round_trips(uows: SqlUnitOfWorkFactory) -> None:
    async with uows() as uow:
        bot = await uow.members.add(NewMember(HERE.member("robo"), "Robo", is_bot=True))
        person = await uow.members.add(NewMember(HERE.member("ada"), "Ada"))
        await uow.commit()
    async with uows() as uow:
        found_bot = await uow.members.get(bot.ref)
        found_person = await uow.members.get(person.ref)
        assert found_bot is not None
        assert found_person is not None
        assert found_bot.is_bot is True
        assert found_person.is_bot is False
        found_person.is_bot = True
        await uow.members.save(found_person)
        await uow.commit()
    async with uows() as uow:
        again = await uow.members.get(person.ref)
    assert again is not None
    assert again.is_bot is True


async def test_0004_upgrades_a_database_in_use_and_downgrades_without_losing_rows(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await at_revision_with_ada(engine, "0003")
    await upgrade(engine)

    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    async with uows() as uow:
        ada = await uow.members.get(HERE.member("ada"))
        circle = await uow.circles.get_by_name(HERE, "algebra")
        assert ada is not None
        assert circle is not None
        assert ada.is_bot is False
        # The new column did not copy (and so empty) the tables that others point at.
        assert await uow.circles.membership(circle.id, ada.id) is not None
        bob = await uow.members.add(NewMember(HERE.member("bob"), "Bob"))
        assert await uow.kudos.add(_kudos(bob, ada, "k1")) is not None
        await uow.commit()
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
        )
    assert differences == []

    async with engine.begin() as connection:
        await connection.run_sync(migrate, "downgrade", "0003")
        kept = await connection.execute(text("SELECT count(*) FROM memberships"))
        assert kept.scalar_one() == 1
        members = await connection.execute(text("SELECT count(*) FROM members"))
        assert members.scalar_one() == 2
        columns = await connection.run_sync(
            lambda c: {column["name"] for column in inspect(c).get_columns("members")}
        )
        assert "is_bot" not in columns
        assert "missed_checkins" in columns
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert "kudos" not in tables
        assert "audit_entries" not in tables
    await upgrade(engine)
    async with uows() as uow:
        again = await uow.members.get(HERE.member("ada"))
        assert again is not None
        assert again.is_bot is False
        assert await uow.kudos.received_count(again.id) == 0
    await engine.dispose()

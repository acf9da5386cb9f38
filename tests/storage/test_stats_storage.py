"""The facts behind /stats on SQLite and PostgreSQL: each kept to its workspace and, when asked,
to one circle, from a moment on; meetings once per pairing; revoked kudos and requests that ran
out left out."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.kernel.model import (
    CheckinStatus,
    Circle,
    CircleRole,
    MeetingAnswer,
    Member,
    NewBuddyRequest,
    NewCheckin,
    NewCircle,
    NewFlag,
    NewKudos,
    NewMembership,
    NewPairing,
    NewPairingRound,
    NewSeat,
    Pairing,
    PairingKind,
    RequestStatus,
    WorkspaceRef,
)
from bot.stats.ports import CheckinFact
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.as_added import as_added
from tests.support.settings import START
from tests.support.storage_people import HERE, THERE, add_members

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


async def _circle(
    uows: SqlUnitOfWorkFactory, name: str, *members: Member, workspace: WorkspaceRef = HERE
) -> Circle:
    async with uows() as uow:
        circle = await uow.circles.add(NewCircle(workspace, name, created_at=START))
        for member in members:
            await uow.circles.add_membership(
                NewMembership(circle.id, member, CircleRole.MENTEE, joined_at=START)
            )
        await uow.commit()
    return circle


async def _pairing(
    uows: SqlUnitOfWorkFactory,
    at: timedelta,
    *answers: tuple[Member, MeetingAnswer | None, timedelta],
    circle: Circle | None = None,
) -> Pairing:
    """A round's pairing (of `circle` when given) made at START + at, each seat answered as
    given, at START + its time."""
    seats = [
        NewSeat(m, answer=a, answered_at=START + when if a else None) for m, a, when in answers
    ]
    workspace = answers[0][0].ref.workspace
    async with uows() as uow:
        round_id = None
        if circle is not None:
            round_ = await uow.buddies.add_round(NewPairingRound(circle.id, f"p{at}", START + at))
            assert round_ is not None
            round_id = round_.id
        pairing = await uow.buddies.add_pairing(
            NewPairing(
                workspace,
                PairingKind.ROUND,
                seats,
                START + at,
                circle_id=circle.id if circle else None,
                round_id=round_id,
            )
        )
        await uow.commit()
    return pairing


async def test_pairings_started_keep_to_the_workspace_the_circle_and_the_time(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    cat, dan = await add_members(uows, "cat", "dan", workspace=THERE)
    algebra = await _circle(uows, "algebra", ada, bob)
    await _pairing(uows, -DAY, (ada, None, DAY), (bob, None, DAY))
    await _pairing(uows, HOUR, (ada, None, DAY), (bob, None, DAY))
    await _pairing(uows, 2 * HOUR, (ada, None, DAY), (bob, None, DAY), circle=algebra)
    await _pairing(uows, HOUR, (cat, None, DAY), (dan, None, DAY))

    async with uows() as uow:
        everywhere = await uow.stats.pairings_started(HERE, None, START)
        in_algebra = await uow.stats.pairings_started(HERE, algebra.id, START)
        there = await uow.stats.pairings_started(THERE, None, START - DAY)
    assert sorted(everywhere) == [START + HOUR, START + 2 * HOUR]
    assert in_algebra == [START + 2 * HOUR]
    assert there == [START + HOUR]


async def test_a_pairing_meets_once_at_its_first_we_met(uows: SqlUnitOfWorkFactory) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    (dan, eve) = await add_members(uows, "dan", "eve", workspace=THERE)
    algebra = await _circle(uows, "algebra", ada, bob, cat)
    met = MeetingAnswer.MET
    # A trio: two said they met, on different days; one had not yet.
    await _pairing(
        uows,
        timedelta(),
        (ada, met, 3 * DAY),
        (bob, met, 2 * DAY),
        (cat, MeetingAnswer.NOT_YET, DAY),
    )
    await _pairing(uows, timedelta(), (ada, met, 5 * DAY), (cat, None, DAY), circle=algebra)
    await _pairing(uows, timedelta(), (bob, MeetingAnswer.COULDNT, DAY), (cat, None, DAY))
    # First "met" before the moment asked from: not counted, whatever came later.
    await _pairing(uows, -7 * DAY, (bob, met, -6 * DAY), (cat, met, 4 * DAY))
    await _pairing(uows, timedelta(), (dan, met, DAY), (eve, met, DAY))

    async with uows() as uow:
        everywhere = await uow.stats.first_meetings(HERE, None, START)
        in_algebra = await uow.stats.first_meetings(HERE, algebra.id, START)
        there = await uow.stats.first_meetings(THERE, None, START)
    assert sorted(everywhere) == [START + 2 * DAY, START + 5 * DAY]
    assert in_algebra == [START + 5 * DAY]
    assert there == [START + DAY]


async def test_checkins_come_with_their_status_and_whether_they_were_asked(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    (cat,) = await add_members(uows, "cat", workspace=THERE)
    algebra = await _circle(uows, "algebra", ada, bob)
    physics = await _circle(uows, "physics", ada)
    faraway = await _circle(uows, "algebra", cat, workspace=THERE)

    def checkin(
        circle: Circle, member: Member, at: timedelta, status: CheckinStatus, *, asked: bool
    ) -> NewCheckin:
        found = NewCheckin(circle, member, f"p{at}", START + at, START + at + DAY, ("How?",))
        found.status, found.prompted_at = status, START + at if asked else None
        return found

    async with uows() as uow:
        await uow.checkins.add_all(
            [
                checkin(algebra, ada, -DAY, CheckinStatus.ANSWERED, asked=True),
                checkin(algebra, ada, DAY, CheckinStatus.ANSWERED, asked=True),
                checkin(algebra, bob, DAY, CheckinStatus.SKIPPED, asked=False),
            ]
        )
        await uow.checkins.add(checkin(physics, ada, 2 * DAY, CheckinStatus.MISSED, asked=False))
        await uow.checkins.add(checkin(faraway, cat, DAY, CheckinStatus.OPEN, asked=True))
        await uow.commit()

    async with uows() as uow:
        everywhere = await uow.stats.checkins(HERE, None, START)
        in_algebra = await uow.stats.checkins(HERE, algebra.id, START)
        there = await uow.stats.checkins(THERE, None, START)

    def key(fact: CheckinFact) -> tuple[datetime, str]:
        return fact.scheduled_at, fact.status.value

    assert sorted(everywhere, key=key) == [
        CheckinFact(START + DAY, CheckinStatus.ANSWERED, True),
        CheckinFact(START + DAY, CheckinStatus.SKIPPED, False),
        CheckinFact(START + 2 * DAY, CheckinStatus.MISSED, False),
    ]
    assert sorted(in_algebra, key=key) == sorted(everywhere, key=key)[:2]
    assert there == [CheckinFact(START + DAY, CheckinStatus.OPEN, True)]


async def test_concerns_and_kudos_keep_to_their_circle_and_revoked_kudos_never_count(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob = await add_members(uows, "ada", "bob")
    (cat, dan) = await add_members(uows, "cat", "dan", workspace=THERE)
    algebra = await _circle(uows, "algebra", ada, bob)

    def kudos(giver: Member, to: Member, at: timedelta, circle: Circle | None = None) -> NewKudos:
        workspace = giver.ref.workspace
        circle_id = circle.id if circle else None
        return NewKudos(
            workspace, giver, to, "thanks", START + at, f"k{at}{giver.id}", None, circle_id
        )

    async with uows() as uow:
        await uow.flags.add(NewFlag(HERE, ada, "worried", START - HOUR))
        await uow.flags.add(NewFlag(HERE, ada, "worried", START + HOUR))
        await uow.flags.add(NewFlag(HERE, bob, "in a check-in", START + 2 * HOUR, algebra.id))
        await uow.flags.add(NewFlag(THERE, cat, "elsewhere", START + HOUR))
        to_revoke = kudos(ada, bob, 3 * HOUR, algebra)
        given = {}
        for k in (
            kudos(ada, bob, -HOUR),
            kudos(ada, bob, HOUR),
            kudos(bob, ada, 2 * HOUR, algebra),
            to_revoke,
            kudos(cat, dan, HOUR),
        ):
            added = await uow.kudos.add(k)
            assert added is not None
            assert as_added(added, NewKudos) == k
            given[k.dedupe_key] = added
        revoked = given[to_revoke.dedupe_key]
        revoked.revoked_at, revoked.revoked_by = START + DAY, bob
        await uow.kudos.save(revoked)
        await uow.commit()

    async with uows() as uow:
        concerns = await uow.stats.concerns_raised(HERE, None, START)
        algebra_concerns = await uow.stats.concerns_raised(HERE, algebra.id, START)
        concerns_there = await uow.stats.concerns_raised(THERE, None, START)
        kudos_given = await uow.stats.kudos_given(HERE, None, START)
        algebra_kudos = await uow.stats.kudos_given(HERE, algebra.id, START)
        kudos_there = await uow.stats.kudos_given(THERE, None, START)
    assert sorted(concerns) == [START + HOUR, START + 2 * HOUR]
    assert algebra_concerns == [START + 2 * HOUR]
    assert concerns_there == [START + HOUR]
    assert sorted(kudos_given) == [START + HOUR, START + 2 * HOUR]
    assert algebra_kudos == [START + 2 * HOUR]
    assert kudos_there == [START + HOUR]


async def test_waiting_counts_requests_still_running_of_the_circles_people(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat, dan, eve = await add_members(uows, "ada", "bob", "cat", "dan", "eve")
    (fay,) = await add_members(uows, "fay", workspace=THERE)
    algebra = await _circle(uows, "algebra", ada, bob, cat)
    async with uows() as uow:
        await uow.buddies.add_request(NewBuddyRequest(ada, START, START + DAY))
        await uow.buddies.add_request(NewBuddyRequest(bob, START - 2 * DAY, START - HOUR))
        await uow.buddies.add_request(
            NewBuddyRequest(cat, START, START + DAY, status=RequestStatus.MATCHED)
        )
        await uow.buddies.add_request(
            NewBuddyRequest(dan, START, START + DAY, status=RequestStatus.CANCELLED)
        )
        await uow.buddies.add_request(NewBuddyRequest(eve, START, START + DAY))
        await uow.buddies.add_request(NewBuddyRequest(fay, START, START + DAY))
        await uow.commit()

    async with uows() as uow:
        assert await uow.stats.waiting_count(HERE, None, START) == 2
        assert await uow.stats.waiting_count(HERE, algebra.id, START) == 1
        assert await uow.stats.waiting_count(THERE, None, START) == 1
        assert await uow.stats.waiting_count(HERE, None, START + DAY) == 0


async def test_unreachable_counts_members_marked_in_the_workspace_or_the_circle(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cat = await add_members(uows, "ada", "bob", "cat")
    (dan,) = await add_members(uows, "dan", workspace=THERE)
    algebra = await _circle(uows, "algebra", ada, bob)
    async with uows() as uow:
        for member in (ada, cat, dan):
            member.unreachable_since, member.unreachable_reason = START, "DMs closed"
            await uow.members.save(member)
        await uow.commit()

    async with uows() as uow:
        assert await uow.stats.unreachable_count(HERE, None) == 2
        assert await uow.stats.unreachable_count(HERE, algebra.id) == 1
        assert await uow.stats.unreachable_count(THERE, None) == 1

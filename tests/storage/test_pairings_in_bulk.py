"""A round's pairings stored and ended many at once (issue 20: a round of 10,000 wrote and ended
its pairings one statement per row, holding SQLite's one connection for half a minute)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.kernel.model import NewPairing, NewSeat, PairingKind, SeatRole
from storage.buddies.repository import SqlBuddyRepository
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.settings import START
from tests.support.storage_people import HERE, add_members

PAIRS = 60


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The verb of every statement sent while inside (BEGIN aside), an executemany once."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            sent.append(args[2].split()[0])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


def _buddies(uow: object) -> SqlBuddyRepository:
    buddies = getattr(uow, "buddies")  # noqa: B009 (the storage's own type, not the port's)
    assert isinstance(buddies, SqlBuddyRepository)
    return buddies


async def test_a_rounds_worth_of_pairings_goes_in_and_ends_in_a_few_statements(
    uows: SqlUnitOfWorkFactory, engine: AsyncEngine
) -> None:
    people = await add_members(uows, *(f"m{n}" for n in range(2 * PAIRS)))
    new = [
        NewPairing(
            HERE,
            PairingKind.ROUND,
            [
                NewSeat(a, SeatRole.PEER, reasons=f"pair {n}", ask_at=START + timedelta(days=3)),
                NewSeat(b, SeatRole.PEER, reasons=f"pair {n}, too"),
            ],
            START,
        )
        for n, (a, b) in enumerate(zip(people[::2], people[1::2], strict=True))
    ]
    async with uows() as uow:
        with statements(engine) as sent:
            added = await _buddies(uow).add_pairings(new)
        await uow.commit()
    # the pairings, then all their seats (on SQLite each after reading the last id)
    assert [s for s in sent if s != "SELECT"] == ["INSERT", "INSERT"]
    assert len(sent) <= 4
    # Each comes back as it went in, in order, with the ids it was stored under.
    assert [[(s.member, s.reasons, s.ask_at) for s in p.seats] for p in added] == [
        [(s.member, s.reasons, s.ask_at) for s in p.seats] for p in new
    ]
    async with uows() as uow:
        for pairing in added[:3] + added[-3:]:
            assert await uow.buddies.open_pairings_of(pairing.seats[1].member.id) == [pairing]

    for pairing in added:
        pairing.ended_at, pairing.end_reason = START + timedelta(days=7), "the next round began"
        pairing.seats[0].ask_at = None
    async with uows() as uow:
        with statements(engine) as sent:
            await _buddies(uow).save_pairings(added)
        await uow.commit()
    assert sent == ["SELECT", "UPDATE", "UPDATE"]  # whose seats, the pairings, the seats
    async with uows() as uow:
        assert await uow.buddies.open_pairings_of(people[0].id) == []
        (ended,) = [p for p in added if p.seats[0].member == people[0]]
        assert await uow.buddies.latest_pairing_between(people[0].id, people[1].id) == ended


async def test_saving_a_seat_that_is_not_the_pairings_changes_nothing(
    uows: SqlUnitOfWorkFactory,
) -> None:
    ada, bob, cy, dee = await add_members(uows, "ada", "bob", "cy", "dee")
    seats = [[NewSeat(ada, SeatRole.PEER), NewSeat(bob, SeatRole.PEER)]]
    seats.append([NewSeat(cy, SeatRole.PEER), NewSeat(dee, SeatRole.PEER)])
    async with uows() as uow:
        first, second = await _buddies(uow).add_pairings(
            [NewPairing(HERE, PairingKind.ROUND, s, START) for s in seats]
        )
        await uow.commit()
    first.seats[1] = second.seats[1]
    first.ended_at = START + timedelta(days=1)
    async with uows() as uow:
        with pytest.raises(ValueError, match="not a stored seat"):
            await _buddies(uow).save_pairings([second, first])
    async with uows() as uow:
        assert len(await uow.buddies.open_pairings_of(ada.id)) == 1

"""Pairings and their seats: storing them, and reading them whole.

Rules:
- a pairing is loaded whole: its row, then the seats and members of every pairing asked for in
  one query, seats in the order they were added; seats of one result that share a member share
  its object;
- reads refresh rows already in the session (`populate_existing`);
- however many pairings are added or saved at once (a round's thousands), it takes one statement
  per table, each sent as one executemany, not one statement per row;
- `pairing_seats.open_on_demand` is kept equal to "the pairing is on demand and not ended" on
  every write, so its partial unique index allows one open on-demand pairing per member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, func, insert, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import Member, NewPairing, Pairing, PairingKind, Seat
from storage.buddies.mapping import (
    pairing_changes,
    pairing_from_row,
    pairing_values,
    seat_changes,
    seat_from_row,
    seat_values,
)
from storage.buddies.tables import PairingRow, SeatRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.queries import SessionRepository
from storage.saved import row_id, saved


class SqlPairings(SessionRepository):
    async def add_pairing(self, pairing: NewPairing) -> Pairing:
        return (await self.add_pairings([pairing]))[0]

    async def add_pairings(self, pairings: Sequence[NewPairing]) -> list[Pairing]:
        """Store them and their seats, in order: an INSERT for the pairings and one for all
        their seats, each an executemany of up to CHUNK rows."""
        ids: list[int] = []
        for part in _chunks(pairings):
            ids += await self._pairing_ids([pairing_values(p) for p in part])
        seats = [
            seat_values(seat, pairing_id) | seat_changes(seat, pairing)
            for pairing_id, pairing in zip(ids, pairings, strict=True)
            for seat in pairing.seats
        ]
        statement = insert(SeatRow).returning(
            col(SeatRow.id), col(SeatRow.pairing_id), col(SeatRow.member_id)
        )
        seat_ids: dict[tuple[int, int], int] = {}
        for rows in _chunks(seats):
            for seat_id, pairing_id, member_id in await self._session.execute(
                statement, rows, execution_options=_SAME_COLUMNS
            ):
                seat_ids[pairing_id, member_id] = _stored(seat_id)
        return [
            saved(
                Pairing,
                p,
                pairing_id,
                seats=[saved(Seat, s, seat_ids[pairing_id, s.member.id]) for s in p.seats],
            )
            for pairing_id, p in zip(ids, pairings, strict=True)
        ]

    async def save_pairing(self, pairing: Pairing) -> None:
        await self.save_pairings([pairing])

    async def save_pairings(self, pairings: Sequence[Pairing]) -> None:
        """Store each one's end and each seat's answer and next question: an UPDATE for the
        pairings and one for the seats, each an executemany of up to CHUNK rows, after one read
        that every seat is a stored seat of its pairing."""
        if not pairings:
            return
        stored = {
            (seat_id, pairing_id)
            for seat_id, pairing_id in await self._session.execute(
                select(SeatRow.id, SeatRow.pairing_id).where(
                    col(SeatRow.pairing_id).in_({p.id for p in pairings})
                )
            )
        }
        seats: list[dict[str, object]] = []
        for pairing in pairings:
            for seat in pairing.seats:
                if (seat.id, pairing.id) not in stored:
                    raise ValueError(f"seat {seat.id} is not a stored seat of pairing {pairing.id}")
                seats.append({"id": seat.id} | seat_changes(seat, pairing))
        for part in _chunks(pairings):
            changes = [{"id": p.id} | pairing_changes(p) for p in part]
            await self._session.execute(update(PairingRow), changes)
        for rows in _chunks(seats):
            await self._session.execute(update(SeatRow), rows)

    async def open_pairings_of(self, member_id: int) -> list[Pairing]:
        return await self._pairings(
            select(PairingRow)
            .join(SeatRow, col(SeatRow.pairing_id) == col(PairingRow.id))
            .where(SeatRow.member_id == member_id, col(PairingRow.ended_at).is_(None))
            .order_by(col(PairingRow.created_at).desc(), col(PairingRow.id).desc())
        )

    async def latest_pairing_between(self, member_id: int, other_id: int) -> Pairing | None:
        mine, theirs = aliased(SeatRow), aliased(SeatRow)
        found = await self._pairings(
            select(PairingRow)
            .join(mine, col(mine.pairing_id) == col(PairingRow.id))
            .join(theirs, col(theirs.pairing_id) == col(PairingRow.id))
            .where(col(mine.member_id) == member_id, col(theirs.member_id) == other_id)
            .order_by(col(PairingRow.created_at).desc(), col(PairingRow.id).desc())
            .limit(1)
        )
        return found[0] if found else None

    async def open_round_pairings(self, circle_id: int) -> list[Pairing]:
        return await self._pairings(
            select(PairingRow)
            .where(
                PairingRow.circle_id == circle_id,
                PairingRow.kind == PairingKind.ROUND.value,
                col(PairingRow.ended_at).is_(None),
            )
            .order_by(col(PairingRow.created_at), col(PairingRow.id))
        )

    async def seats_to_ask(self, now: datetime, limit: int) -> list[tuple[Pairing, Seat]]:
        due = await self._session.execute(
            select(SeatRow.id, SeatRow.pairing_id)
            .join(PairingRow, col(PairingRow.id) == col(SeatRow.pairing_id))
            .where(col(SeatRow.ask_at) <= now, col(PairingRow.ended_at).is_(None))
            .order_by(col(SeatRow.ask_at), col(SeatRow.id))
            .limit(limit)
        )
        due_seats = [(seat_id, pairing_id) for seat_id, pairing_id in due]
        if not due_seats:
            return []
        pairings = await self._pairings(
            select(PairingRow).where(
                col(PairingRow.id).in_({pairing_id for _, pairing_id in due_seats})
            )
        )
        seats = {seat.id: (pairing, seat) for pairing in pairings for seat in pairing.seats}
        return [seats[seat_id] for seat_id, _ in due_seats]

    async def _pairings(self, statement: Select[PairingRow]) -> list[Pairing]:
        """The pairings the statement selects, in its order, each with its seats and members."""
        rows = [row for (row,) in await self._rows(statement)]
        if not rows:
            return []
        seats: dict[int, list[Seat]] = defaultdict(list)
        members: dict[int, Member] = {}
        # Read CHUNK seats at a time: the event loop serves others between two (a round's
        # 10,000 seats and members read in one go held it for half a second).
        found = await self._session.stream(
            select(SeatRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(SeatRow.member_id))
            .where(col(SeatRow.pairing_id).in_({row.id for row in rows}))
            .order_by(col(SeatRow.id))
            .execution_options(populate_existing=True)
        )
        async for part in found.partitions(CHUNK):
            for seat_row, member_row in part:
                member = members.get(seat_row.member_id) or member_from_row(member_row)
                members[seat_row.member_id] = member
                seats[seat_row.pairing_id].append(seat_from_row(seat_row, member))
        return [pairing_from_row(row, seats[row_id(row)]) for row in rows]

    async def _pairing_ids(self, rows: list[dict[str, object]]) -> list[int]:
        """Insert the pairings in one executemany; their ids, in the order given. PostgreSQL
        returns them in that order; SQLite cannot promise to for more than one (SQLAlchemy would
        fall back to a statement per row), but its one writer holds the lock from BEGIN
        IMMEDIATE, so the next ids are ours to give. (Seats need none of this: a seat is known
        by its pairing and member.)"""
        if len(rows) > 1 and self._session.get_bind().dialect.name == "sqlite":
            last = (await self._session.execute(select(func.max(PairingRow.id)))).scalar() or 0
            ids = list(range(last + 1, last + 1 + len(rows)))
            given = [row | {"id": new_id} for row, new_id in zip(rows, ids, strict=True)]
            await self._session.execute(insert(PairingRow), given, execution_options=_SAME_COLUMNS)
            return ids
        statement = insert(PairingRow).returning(col(PairingRow.id), sort_by_parameter_order=True)
        result = await self._session.execute(statement, rows, execution_options=_SAME_COLUMNS)
        return [_stored(new_id) for new_id in result.scalars()]


CHUNK = 500
"""Rows per statement when many are written: between two, the event loop serves others (a
round's 10,000 seats in one go held it for half a second)."""

_SAME_COLUMNS = {"render_nulls": True}
"""Every row with the same columns, so one statement takes them all (the ORM otherwise leaves
out None values, starting a new statement whenever which ones changes)."""

T = TypeVar("T")


def _chunks(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def _stored(new_id: int | None) -> int:
    """The id an INSERT ... RETURNING gave (never None for a row it inserted)."""
    if new_id is None:
        raise ValueError("a row was stored without an id")
    return new_id

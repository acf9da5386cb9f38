"""Pairings and their seats: storing them, and reading them whole.

Rules:
- a pairing is loaded whole: its row, then the seats and members of every pairing asked for in
  one query, seats in the order they were added; seats of one result that share a member share
  its object;
- reads refresh rows already in the session (`populate_existing`);
- `pairing_seats.open_on_demand` is kept equal to "the pairing is on demand and not ended" on
  every write, so its partial unique index allows one open on-demand pairing per member.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import Member, NewPairing, Pairing, PairingKind, Seat
from storage.buddies.mapping import pairing_from_row, pairing_to_row, seat_from_row, seat_to_row
from storage.buddies.tables import PairingRow, SeatRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.queries import SessionRepository
from storage.saved import row_id, saved


class SqlPairings(SessionRepository):
    async def add_pairing(self, pairing: NewPairing) -> Pairing:
        row = pairing_to_row(pairing)
        self._session.add(row)
        await self._session.flush()
        seat_rows = []
        for seat in pairing.seats:
            seat_row = SeatRow(
                pairing_id=row_id(row),
                member_id=seat.member.id,
                role=seat.role.value,
                reasons=seat.reasons,
            )
            seat_to_row(seat, pairing, seat_row)
            seat_rows.append(seat_row)
        self._session.add_all(seat_rows)
        await self._session.flush()
        seats = [
            saved(Seat, seat, row_id(seat_row))
            for seat, seat_row in zip(pairing.seats, seat_rows, strict=True)
        ]
        return saved(Pairing, pairing, row_id(row), seats=seats)

    async def save_pairing(self, pairing: Pairing) -> None:
        row = await self._session.get_one(PairingRow, pairing.id)
        row.ended_at, row.end_reason = pairing.ended_at, pairing.end_reason
        row.ended_by_id = pairing.ended_by_id
        seat_rows = {
            seat_row.id: seat_row
            for (seat_row,) in await self._rows(
                select(SeatRow).where(SeatRow.pairing_id == pairing.id)
            )
        }
        for seat in pairing.seats:
            if seat.id not in seat_rows:
                raise ValueError(f"seat {seat.id} is not a stored seat of pairing {pairing.id}")
            seat_to_row(seat, pairing, seat_rows[seat.id])
        await self._session.flush()

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
        for seat_row, member_row in await self._rows(
            select(SeatRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(SeatRow.member_id))
            .where(col(SeatRow.pairing_id).in_({row.id for row in rows}))
            .order_by(col(SeatRow.id))
        ):
            member = members.get(seat_row.member_id) or member_from_row(member_row)
            members[seat_row.member_id] = member
            seats[seat_row.pairing_id].append(seat_from_row(seat_row, member))
        return [pairing_from_row(row, seats[row_id(row)]) for row in rows]

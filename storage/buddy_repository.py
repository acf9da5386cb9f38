"""Pairings, the /findbuddy queue, rounds and blocks over one AsyncSession.

Rules:
- a pairing is loaded whole: its row, then the seats and members of every pairing asked for in
  one query, seats in the order they were added;
- reads refresh rows already in the session (`populate_existing`), so what a transaction sees
  after `lock_queue` is what other transactions committed before it got the lock;
- on PostgreSQL the queue's reads lock the waiting requests they return (FOR UPDATE), and the
  expiry job skips locked ones: a request being matched is not expired under the matcher, and
  one being expired is re-read by the matcher after the job commits (SQLite has one writer);
- a duplicate round or block is an INSERT ... ON CONFLICT DO NOTHING, never an error that would
  spoil the surrounding transaction;
- `pairing_seats.open_on_demand` is kept equal to "the pairing is on demand and not ended" on
  every write, so its partial unique index allows one open on-demand pairing per member.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from itertools import combinations
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, delete, func, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import (
    BuddyRequest,
    MeetingAnswer,
    Member,
    Pairing,
    PairingKind,
    PairingRound,
    RequestStatus,
    Seat,
    SeatRole,
    WorkspaceRef,
)
from storage.mapping import (
    member_from_row,
    pairing_from_row,
    pairing_to_row,
    request_from_rows,
    request_to_row,
    seat_from_row,
    seat_to_row,
)
from storage.repositories import insert_or_nothing, of_workspace
from storage.tables import (
    BlockRow,
    BuddyRequestRow,
    MemberRow,
    PairingRoundRow,
    PairingRow,
    SeatRow,
)

_Ts = TypeVarTuple("_Ts")

WAITING = RequestStatus.WAITING.value
ON_DEMAND = PairingKind.ON_DEMAND.value


def queue_lock_key(workspace: WorkspaceRef) -> int:
    """The PostgreSQL advisory lock key of a workspace's /findbuddy queue: the first 8 bytes of
    a SHA-256 as a signed 64-bit integer, the same in every process and release."""
    name = f"circles:buddy-queue:{workspace.platform}:{workspace.workspace_id}"
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pairs_within(groups: Iterable[Collection[int]]) -> set[tuple[int, int]]:
    return {_pair(a, b) for group in groups for a, b in combinations(sorted(group), 2)}


class SqlBuddyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _rows(self, statement: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
        result = await self._session.execute(statement.execution_options(populate_existing=True))
        return result.all()

    # The /findbuddy queue

    async def lock_queue(self, workspace: WorkspaceRef) -> None:
        # SQLite needs nothing: every transaction there begins IMMEDIATE, one writer at a time.
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": queue_lock_key(workspace)}
            )

    async def waiting(self, workspace: WorkspaceRef) -> list[BuddyRequest]:
        return await self._requests(
            self._waiting_requests(
                of_workspace(BuddyRequestRow, workspace),
            )
            .order_by(col(BuddyRequestRow.created_at), col(BuddyRequestRow.id))
            .with_for_update(of=BuddyRequestRow)
        )

    async def waiting_of(self, member_id: int) -> BuddyRequest | None:
        found = await self._requests(
            self._waiting_requests(BuddyRequestRow.member_id == member_id).with_for_update(
                of=BuddyRequestRow
            )
        )
        return found[0] if found else None

    async def add_request(self, request: BuddyRequest) -> BuddyRequest:
        assert request.member.id is not None
        ref = request.member.ref
        row = BuddyRequestRow(
            platform=ref.platform,
            workspace_id=ref.workspace_id,
            member_id=request.member.id,
            created_at=request.created_at,
            expires_at=request.expires_at,
        )
        request_to_row(request, row)
        self._session.add(row)
        await self._session.flush()
        request.id = row.id
        return request

    async def save_request(self, request: BuddyRequest) -> None:
        request_to_row(request, await self._session.get_one(BuddyRequestRow, request.id))
        await self._session.flush()

    async def expired_requests(self, now: datetime, limit: int) -> list[BuddyRequest]:
        # Skips requests that a /findbuddy is matching right now; the next run sees them if
        # they are still waiting then.
        return await self._requests(
            self._waiting_requests(col(BuddyRequestRow.expires_at) <= now)
            .order_by(col(BuddyRequestRow.expires_at), col(BuddyRequestRow.id))
            .limit(limit)
            .with_for_update(of=BuddyRequestRow, skip_locked=True)
        )

    @staticmethod
    def _waiting_requests(*where: ColumnElement[bool] | bool) -> Select[BuddyRequestRow, MemberRow]:
        return (
            select(BuddyRequestRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(BuddyRequestRow.member_id))
            .where(BuddyRequestRow.status == WAITING, *where)
        )

    async def _requests(self, statement: Select[BuddyRequestRow, MemberRow]) -> list[BuddyRequest]:
        return [request_from_rows(r, m) for r, m in await self._rows(statement)]

    # Pairings

    async def add_pairing(self, pairing: Pairing) -> Pairing:
        row = pairing_to_row(pairing)
        self._session.add(row)
        await self._session.flush()
        assert row.id is not None
        seat_rows = []
        for seat in pairing.seats:
            assert seat.member.id is not None
            seat_row = SeatRow(
                pairing_id=row.id,
                member_id=seat.member.id,
                role=seat.role.value,
                reasons=seat.reasons,
            )
            seat_to_row(seat, pairing, seat_row)
            seat_rows.append(seat_row)
        self._session.add_all(seat_rows)
        await self._session.flush()
        pairing.id = row.id
        for seat, seat_row in zip(pairing.seats, seat_rows, strict=True):
            seat.id = seat_row.id
        return pairing

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
        return [pairing_from_row(row, seats[row.id]) for row in rows if row.id is not None]

    # Who is busy, with whom they were

    async def open_on_demand_member_ids(self, workspace: WorkspaceRef) -> set[int]:
        rows = await self._session.execute(
            select(SeatRow.member_id)
            .join(PairingRow, col(PairingRow.id) == col(SeatRow.pairing_id))
            .where(
                col(SeatRow.open_on_demand),
                of_workspace(PairingRow, workspace),
            )
        )
        return set(rows.scalars())

    async def open_mentee_counts(self, mentor_ids: Collection[int]) -> dict[int, int]:
        counts = dict.fromkeys(mentor_ids, 0)
        if not counts:
            return counts
        mentor, mentee = aliased(SeatRow), aliased(SeatRow)
        rows = await self._session.execute(
            select(mentor.member_id, func.count(col(mentee.id)))
            .join(PairingRow, col(PairingRow.id) == col(mentor.pairing_id))
            .join(mentee, col(mentee.pairing_id) == col(mentor.pairing_id))
            .where(
                col(mentor.member_id).in_(list(counts)),
                col(mentor.role) == SeatRole.MENTOR.value,
                col(mentee.role) == SeatRole.MENTEE.value,
                col(PairingRow.ended_at).is_(None),
            )
            .group_by(col(mentor.member_id))
        )
        counts.update({member_id: count for member_id, count in rows})
        return counts

    async def recent_on_demand_partners(
        self, member_ids: Collection[int], limit: int
    ) -> set[tuple[int, int]]:
        if not member_ids or limit <= 0:
            return set()
        newest_first = func.row_number().over(
            partition_by=col(SeatRow.member_id),
            order_by=(col(PairingRow.created_at).desc(), col(PairingRow.id).desc()),
        )
        ranked = (
            select(col(SeatRow.pairing_id).label("pairing_id"), newest_first.label("rank"))
            .join(PairingRow, col(PairingRow.id) == col(SeatRow.pairing_id))
            .where(col(SeatRow.member_id).in_(list(member_ids)), PairingRow.kind == ON_DEMAND)
            .subquery()
        )
        recent = select(ranked.c.pairing_id).where(ranked.c.rank <= limit)
        return await self._pairs_in(col(SeatRow.pairing_id).in_(recent))

    async def round_partners(self, circle_id: int, last_rounds: int) -> set[tuple[int, int]]:
        if last_rounds <= 0:
            return set()
        rounds = (
            select(PairingRoundRow.id)
            .where(PairingRoundRow.circle_id == circle_id)
            .order_by(col(PairingRoundRow.ran_at).desc(), col(PairingRoundRow.id).desc())
            .limit(last_rounds)
            .subquery()
        )
        in_rounds = select(PairingRow.id).where(col(PairingRow.round_id).in_(select(rounds.c.id)))
        return await self._pairs_in(col(SeatRow.pairing_id).in_(in_rounds))

    async def _pairs_in(self, seats_filter: ColumnElement[bool]) -> set[tuple[int, int]]:
        """Every pair of members seated together in a pairing whose seats match the filter."""
        groups: dict[int, list[int]] = defaultdict(list)
        for pairing_id, member_id in await self._session.execute(
            select(SeatRow.pairing_id, SeatRow.member_id).where(seats_filter)
        ):
            groups[pairing_id].append(member_id)
        return _pairs_within(groups.values())

    # Rounds

    async def add_round(self, round_: PairingRound) -> PairingRound | None:
        values = {"circle_id": round_.circle_id, "period": round_.period, "ran_at": round_.ran_at}
        statement = insert_or_nothing(
            self._session, PairingRoundRow, values, ["circle_id", "period"]
        ).returning(col(PairingRoundRow.id))
        round_id = (await self._session.execute(statement)).scalar_one_or_none()
        if round_id is None:
            return None
        round_.id = round_id
        return round_

    # Blocks

    async def blocked_pairs(self, member_ids: Collection[int]) -> set[tuple[int, int]]:
        ids = list(member_ids)
        if len(ids) < 2:
            return set()
        rows = await self._session.execute(
            select(BlockRow.member_id, BlockRow.blocked_id).where(
                col(BlockRow.member_id).in_(ids), col(BlockRow.blocked_id).in_(ids)
            )
        )
        return {_pair(a, b) for a, b in rows}

    async def meetings_held(self, member_id: int) -> int:
        found = await self._session.execute(
            select(func.count())
            .select_from(SeatRow)
            .where(SeatRow.member_id == member_id, SeatRow.answer == MeetingAnswer.MET.value)
        )
        return found.scalar_one()

    async def add_block(self, member_id: int, blocked_id: int, now: datetime) -> bool:
        values = {"member_id": member_id, "blocked_id": blocked_id, "created_at": now}
        statement = insert_or_nothing(self._session, BlockRow, values, ["member_id", "blocked_id"])
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def remove_block(self, member_id: int, blocked_id: int) -> bool:
        result = await self._session.execute(
            delete(BlockRow).where(
                col(BlockRow.member_id) == member_id, col(BlockRow.blocked_id) == blocked_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

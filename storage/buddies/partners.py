"""What the matcher weighs: who is busy, with whom each member was paired before, rounds, and
blocks.

Rules:
- a pair of members is always (smaller id, larger id);
- a duplicate round or block is an INSERT ... ON CONFLICT DO NOTHING, never an error that would
  spoil the surrounding transaction;
- a workspace's busy members are those in an open on-demand pairing of that workspace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from itertools import combinations

from sqlalchemy import ColumnElement, delete, func
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import (
    MeetingAnswer,
    NewPairingRound,
    PairingKind,
    PairingRound,
    SeatRole,
    WorkspaceRef,
)
from storage.buddies.tables import BlockRow, PairingRoundRow, PairingRow, SeatRow
from storage.queries import SessionRepository, insert_or_nothing, of_workspace, written
from storage.saved import saved

ON_DEMAND = PairingKind.ON_DEMAND.value


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pairs_within(groups: Iterable[Collection[int]]) -> set[tuple[int, int]]:
    return {_pair(a, b) for group in groups for a, b in combinations(sorted(group), 2)}


class SqlPartners(SessionRepository):
    # Who is busy, with whom they were

    async def open_on_demand_member_ids(self, workspace: WorkspaceRef) -> set[int]:
        rows = await self._session.execute(
            select(SeatRow.member_id)
            .join(PairingRow, col(PairingRow.id) == col(SeatRow.pairing_id))
            .where(
                col(SeatRow.open_on_demand),
                of_workspace(PairingRow, workspace),
                # the terms of ix_pairings_open_on_demand: a workspace's open on-demand pairings
                col(PairingRow.kind) == written(ON_DEMAND),
                col(PairingRow.ended_at).is_(None),
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

    async def add_round(self, round_: NewPairingRound) -> PairingRound | None:
        values = {"circle_id": round_.circle_id, "period": round_.period, "ran_at": round_.ran_at}
        statement = insert_or_nothing(
            self._session, PairingRoundRow, values, ["circle_id", "period"]
        ).returning(col(PairingRoundRow.id))
        round_id = (await self._session.execute(statement)).scalar_one_or_none()
        if round_id is None:
            return None
        return saved(PairingRound, round_, round_id)

    async def round_ran(self, circle_id: int, period: str) -> bool:
        found = await self._session.execute(
            select(PairingRoundRow.id).where(
                col(PairingRoundRow.circle_id) == circle_id, col(PairingRoundRow.period) == period
            )
        )
        return found.first() is not None

    # Blocks, and meetings held

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

"""Agreements over one AsyncSession.

Rules: a confirmation is recorded once per pairing and member (a second is an INSERT ... ON
CONFLICT DO NOTHING that says so); the pairings still unconfirmed are open ones with a mentor
and a mentee, made before the given moment, whose circle (if any) has agreements on, not yet
noted, where some seat has not confirmed; ids come from pairings of one workspace, and the note
to the moderators is per workspace (bot.guide.jobs).

Cost: both scans read ix_pairings_agreement_unchecked, open pairings not yet set aside
(`pairings.agreement_checked_at`); a pairing leaves it when noted or when it can never be named
(`set_aside`), so an idle pass reads only pairings younger than the confirmation days and open
mentoring pairings in circles with agreements off, whatever the number of workspaces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Exists, and_, exists, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import Pairing, SeatRole
from storage.agreements.tables import AgreementNoteRow, AgreementRow
from storage.buddies.pairings import SqlPairings
from storage.buddies.tables import PairingRow, SeatRow
from storage.circles.tables import CircleRow
from storage.queries import insert_or_nothing


class SqlAgreementRepository(SqlPairings):
    async def confirm(self, pairing_id: int, member_id: int, now: datetime) -> bool:
        values = {"pairing_id": pairing_id, "member_id": member_id, "confirmed_at": now}
        statement = insert_or_nothing(
            self._session, AgreementRow, values, ["pairing_id", "member_id"]
        )
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def confirmations(self, pairing_ids: Collection[int]) -> dict[int, dict[int, datetime]]:
        found: dict[int, dict[int, datetime]] = defaultdict(dict)
        if not pairing_ids:
            return found
        rows = await self._session.execute(
            select(
                AgreementRow.pairing_id, AgreementRow.member_id, AgreementRow.confirmed_at
            ).where(col(AgreementRow.pairing_id).in_(set(pairing_ids)))
        )
        for pairing_id, member_id, confirmed_at in rows:
            found[pairing_id][member_id] = confirmed_at
        return found

    async def set_aside(self, made_before: datetime, now: datetime, limit: int) -> int:
        never_named = ~and_(_has(SeatRole.MENTOR), _has(SeatRole.MENTEE), _not_confirmed())
        ids = (
            select(PairingRow.id)
            .where(*_unchecked(made_before), never_named)
            .order_by(col(PairingRow.created_at))
            .limit(limit)
        )
        result = await self._session.execute(
            update(PairingRow)
            .where(col(PairingRow.id).in_(ids.scalar_subquery()))
            .values(agreement_checked_at=now)
        )
        return int(getattr(result, "rowcount", 0))

    async def unconfirmed(self, made_before: datetime, limit: int) -> list[Pairing]:
        circle_off = exists().where(
            col(CircleRow.id) == col(PairingRow.circle_id), col(CircleRow.agreement).is_(False)
        )
        noted = exists().where(col(AgreementNoteRow.pairing_id) == col(PairingRow.id))
        return await self._pairings(
            select(PairingRow)
            .where(
                *_unchecked(made_before),
                _has(SeatRole.MENTOR),
                _has(SeatRole.MENTEE),
                ~circle_off,
                ~noted,
                _not_confirmed(),
            )
            # the index's order (created_at, then id as its tie-break): no scan, no sort
            .order_by(col(PairingRow.created_at), col(PairingRow.id))
            .limit(limit)
        )

    async def note(self, pairing_ids: Collection[int], now: datetime) -> None:
        if not pairing_ids:
            return
        statement = insert_or_nothing(self._session, AgreementNoteRow, None, ["pairing_id"])
        await self._session.execute(
            statement, [{"pairing_id": i, "noted_at": now} for i in sorted(pairing_ids)]
        )
        await self._session.execute(
            update(PairingRow)
            .where(col(PairingRow.id).in_(sorted(pairing_ids)))
            .values(agreement_checked_at=now)
        )


def _unchecked(made_before: datetime) -> tuple[ColumnElement[bool], ...]:
    """The terms of ix_pairings_agreement_unchecked, and its range: open pairings not set aside,
    made before the moment."""
    return (
        col(PairingRow.ended_at).is_(None),
        col(PairingRow.agreement_checked_at).is_(None),
        col(PairingRow.created_at) <= made_before,
    )


def _not_confirmed() -> Exists:
    """That some seat of the pairing has not confirmed its agreement."""
    anyone = aliased(SeatRow)
    return exists().where(
        col(anyone.pairing_id) == col(PairingRow.id),
        ~exists().where(
            col(AgreementRow.pairing_id) == col(anyone.pairing_id),
            col(AgreementRow.member_id) == col(anyone.member_id),
        ),
    )


def _has(role: SeatRole) -> Exists:
    """That the pairing has a seat of this role."""
    seat = aliased(SeatRow)
    return exists().where(col(seat.pairing_id) == col(PairingRow.id), col(seat.role) == role.value)

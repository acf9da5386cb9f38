"""The dispatcher's side of the outbox, on SQLite and PostgreSQL.

Claiming is one `UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING`: on PostgreSQL the
subquery locks `FOR UPDATE SKIP LOCKED`, so instances claim disjoint rows without waiting; on
SQLite every transaction begins IMMEDIATE (see storage.database), so claimers take turns. A claim
takes the most urgent due rows first (a concern before anything routine), then by turn (each
workspace in its turn, see storage.outbox.turns), then the oldest, in the order of
ix_outbox_pending (waiting rows only, so the plan stays on it after ANALYZE), and returns them in
that order; the recovery of stale claims reads ix_outbox_sending.
A claim counts as a try; a release (the platform said wait) takes that count back. The
dispatcher calls the store from several sends at once: on SQLite those calls take turns here,
since one connection cannot hold two transactions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, extract, func, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, select

from bot.kernel.model import OutboxEntry, OutboxStatus, WorkspaceRef
from bot.kernel.ports import Pace
from bot.runtime.budget import KeyBudget, booked_start, booking_length, plan_sends
from storage.outbox.mapping import outbox_entry_from_row
from storage.outbox.tables import OutboxRow, SendBudgetRow
from storage.queries import insert_or_nothing, written

ERROR_LIMIT = 300


class SqlOutboxStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._sqlite = engine.dialect.name == "sqlite"
        self._one_at_a_time = asyncio.Lock() if self._sqlite else None

    def _mostly_true(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        """Most waiting rows are due. Told so (`likely`), SQLite's planner reads a claim's order
        off ix_outbox_claim instead of sorting every due row; PostgreSQL's statistics know."""
        return func.likely(condition, type_=Boolean) if self._sqlite else condition

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._one_at_a_time or nullcontext(), self._sessions.begin() as session:
            yield session

    async def claim(
        self, now: datetime, limit: int, platforms: Collection[str]
    ) -> list[OutboxEntry]:
        due = (
            select(OutboxRow.id)
            .where(
                col(OutboxRow.status) == written(OutboxStatus.PENDING.value),  # ix_outbox_pending
                self._mostly_true(col(OutboxRow.next_attempt_at) <= now),
                col(OutboxRow.platform).in_(list(platforms)),
            )
            .order_by(col(OutboxRow.priority), col(OutboxRow.turn), col(OutboxRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(OutboxRow)
            .where(col(OutboxRow.id).in_(due.scalar_subquery()))
            .values(
                status=OutboxStatus.SENDING.value,
                claimed_at=now,
                attempts=col(OutboxRow.attempts) + 1,
            )
            .returning(OutboxRow)
        )
        async with self._transaction() as session:
            rows = (await session.execute(claim)).scalars().all()
            in_order = sorted(rows, key=lambda r: (r.priority, r.turn, r.id))
            return list(map(outbox_entry_from_row, in_order))

    async def reserve(self, platform: str, sends: int, per_second: float) -> float:
        """Book the sends in the platform's row, under its row lock on PostgreSQL (instances
        book one after another; a booking is one short transaction per claimed batch), on the
        database's clock, which every instance shares whatever its own says."""
        async with self._transaction() as session:
            budget, now = await self._budget(session, platform)
            start = booked_start(budget.booked_until, budget.held_until, now)
            budget.booked_until = start + booking_length(sends, per_second)
            return start - now

    async def hold(self, platform: str, seconds: float) -> None:
        async with self._transaction() as session:
            budget, now = await self._budget(session, platform)
            budget.held_until = max(now + seconds, budget.held_until or 0.0)

    async def plan(self, sends: Sequence[Sequence[Pace]], within: float) -> list[float]:
        """Plan a batch's sends under their paces (bot.runtime.budget.plan_sends) in one
        transaction: the paced keys' rows are made if missing and locked in key order (so two
        instances planning at once never wait on each other in a circle); a key only a 429
        holds has a row only once held."""
        paced = sorted({p.key for paces in sends for p in paces if p.per_second is not None})
        keys = sorted({p.key for paces in sends for p in paces})
        async with self._transaction() as session:
            if paced:
                await session.execute(
                    insert_or_nothing(session, SendBudgetRow, None, ["key"]),
                    [{"key": key} for key in paced],
                )
            query = select(SendBudgetRow).where(col(SendBudgetRow.key).in_(keys))
            rows = (
                (await session.execute(query.order_by(col(SendBudgetRow.key)).with_for_update()))
                .scalars()
                .all()
            )
            now = float((await session.execute(select(self._database_time()))).scalar_one())
            budgets = {r.key: KeyBudget(r.booked_until, r.held_until) for r in rows}
            waits, booked = plan_sends(sends, budgets, now, within)
            for row in rows:
                if row.key in booked:
                    row.booked_until = booked[row.key]
            return waits

    async def _budget(self, session: AsyncSession, key: str) -> tuple[SendBudgetRow, float]:
        """The key's row, locked, and the database's time in seconds since 1970."""
        await session.execute(insert_or_nothing(session, SendBudgetRow, {"key": key}, ["key"]))
        query = select(SendBudgetRow).where(col(SendBudgetRow.key) == key)
        budget = (await session.execute(query.with_for_update())).scalar_one()
        now = (await session.execute(select(self._database_time()))).scalar_one()
        return budget, float(now)

    def _database_time(self) -> ColumnElement[Any]:
        if self._sqlite:  # the file's one machine's clock, to the millisecond
            return (func.julianday("now") - 2440587.5) * 86400.0
        return extract("epoch", func.clock_timestamp())

    async def mark_sent(self, entry_ids: Collection[int], now: datetime) -> None:
        if not entry_ids:
            return
        async with self._transaction() as session:
            await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id).in_(list(entry_ids)))
                .values(status=OutboxStatus.SENT.value, sent_at=now, last_error=None)
            )

    async def retry_later(self, entry_id: int, at: datetime, error: str) -> None:
        await self._set(
            entry_id,
            status=OutboxStatus.PENDING.value,
            next_attempt_at=at,
            last_error=error[:ERROR_LIMIT],
        )

    async def mark_failed(self, entry_id: int, error: str) -> None:
        await self._set(entry_id, status=OutboxStatus.FAILED.value, last_error=error[:ERROR_LIMIT])

    async def mark_uncertain(self, entry_id: int, error: str) -> None:
        """Uncertain rows are never claimed again: only pending ones are."""
        await self._set(
            entry_id, status=OutboxStatus.UNCERTAIN.value, last_error=error[:ERROR_LIMIT]
        )

    async def fail_waiting(self, workspace: WorkspaceRef, error: str) -> int:
        """One statement, through ix_outbox_workspace_turn; rows being sent are left to their
        sender."""
        async with self._transaction() as session:
            result = await session.execute(
                update(OutboxRow)
                .where(
                    col(OutboxRow.status) == OutboxStatus.PENDING.value,
                    col(OutboxRow.platform) == workspace.platform,
                    col(OutboxRow.workspace_id) == workspace.workspace_id,
                )
                .values(status=OutboxStatus.FAILED.value, last_error=error[:ERROR_LIMIT])
            )
        return int(getattr(result, "rowcount", 0))

    async def release(self, entry_ids: Collection[int], at: datetime, error: str) -> None:
        if not entry_ids:
            return
        async with self._transaction() as session:
            await session.execute(
                update(OutboxRow)
                .where(
                    col(OutboxRow.id).in_(list(entry_ids)),
                    col(OutboxRow.status) == OutboxStatus.SENDING.value,
                )
                .values(
                    status=OutboxStatus.PENDING.value,
                    next_attempt_at=at,
                    attempts=col(OutboxRow.attempts) - 1,
                    last_error=error[:ERROR_LIMIT],
                )
            )

    async def recover_stale(
        self, claimed_before: datetime, resend_safe: Collection[str], platforms: Collection[str]
    ) -> tuple[int, int]:
        async with self._transaction() as session:
            requeued = await self._settle_stale(
                session, claimed_before, resend_safe, OutboxStatus.PENDING
            )
            unsafe = [p for p in platforms if p not in resend_safe]
            uncertain = await self._settle_stale(
                session, claimed_before, unsafe, OutboxStatus.UNCERTAIN
            )
        return requeued, uncertain

    async def _settle_stale(
        self,
        session: AsyncSession,
        claimed_before: datetime,
        platforms: Collection[str],
        status: OutboxStatus,
    ) -> int:
        result = await session.execute(
            update(OutboxRow)
            .where(
                col(OutboxRow.status) == written(OutboxStatus.SENDING.value),  # ix_outbox_sending
                col(OutboxRow.claimed_at) < claimed_before,
                col(OutboxRow.platform).in_(list(platforms)),
            )
            .values(status=status.value, last_error="interrupted while sending")
        )
        return int(getattr(result, "rowcount", 0))

    async def _set(self, entry_id: int, **values: object) -> None:
        async with self._transaction() as session:
            await session.execute(
                update(OutboxRow).where(col(OutboxRow.id) == entry_id).values(values)
            )

    async def entries(self, status: OutboxStatus | None = None) -> list[OutboxEntry]:
        """Every entry (or those with one status), oldest first: for moderators' views and tests."""
        query = select(OutboxRow).order_by(col(OutboxRow.id))
        if status is not None:
            query = query.where(OutboxRow.status == status.value)
        async with self._sessions() as session:
            return [outbox_entry_from_row(r) for r in (await session.execute(query)).scalars()]

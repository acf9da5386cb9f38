"""Check-ins and their digests over one AsyncSession.

Rules:
- a check-in is loaded whole, with its circle and its member, in one query (a join, never a
  lazy load); check-ins of one result that share a circle or a member share its object;
- reads refresh rows already in the session (`populate_existing`), so a row read again after
  waiting for its lock is what the other transaction committed;
- a duplicate check-in or digest is an INSERT ... ON CONFLICT DO NOTHING, never an error that
  would spoil the surrounding transaction;
- the jobs' scans go through indexes on the moments things fall due: a circle's next check-in
  moment (`checkin_schedules`, kept honest by storage.checkins.schedule), a period's last
  closing (`checkin_pending_digests`, written with its check-ins), an open check-in's reminder
  and closing (partial indexes whose predicate the queries repeat word for word, so SQLite's
  planner can use them);
- on PostgreSQL the jobs' scans (`reminders_due`, `closing`) lock the check-ins they return
  FOR UPDATE SKIP LOCKED, so instances running them at once take disjoint rows, and `get` locks
  its check-in FOR UPDATE, so a member answering and a job settling the same check-in take
  turns instead of overwriting each other (SQLite has one writer at a time).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Row,
    Select,
    case,
    delete,
    exists,
    func,
    literal_column,
    union,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped
from sqlmodel import col, select

from bot.kernel.model import Checkin, CheckinStatus, Circle, Member, NewCheckin, ScheduledCircle
from storage.checkins.mapping import checkin_from_row, checkin_to_row, checkin_values
from storage.checkins.schedule import upsert
from storage.checkins.tables import (
    CheckinDigestRow,
    CheckinRow,
    CheckinScheduleRow,
    PendingDigestRow,
)
from storage.circles.mapping import circle_from_row
from storage.circles.tables import CircleRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.queries import insert_or_nothing
from storage.saved import row_id, saved

OPEN = CheckinStatus.OPEN.value
ANSWERED = CheckinStatus.ANSWERED.value

CheckinRows = Select[CheckinRow, CircleRow, MemberRow]
IS_OPEN = col(CheckinRow.status) == literal_column(f"'{OPEN}'")
"""The partial indexes' own predicate, as a literal: a bound parameter would hide it from SQLite."""


def _checkins(*where: ColumnElement[bool] | bool) -> CheckinRows:
    """Check-ins with their circle and member rows, filtered."""
    return (
        select(CheckinRow, CircleRow, MemberRow)
        .join(CircleRow, col(CircleRow.id) == col(CheckinRow.circle_id))
        .join(MemberRow, col(MemberRow.id) == col(CheckinRow.member_id))
        .where(*where)
    )


class SqlCheckinRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _load(self, statement: CheckinRows) -> list[Checkin]:
        """The check-ins the statement selects, in its order."""
        rows: Sequence[Row[CheckinRow, CircleRow, MemberRow]] = (
            await self._session.execute(statement.execution_options(populate_existing=True))
        ).all()
        circles: dict[int, Circle] = {}
        members: dict[int, Member] = {}
        checkins = []
        for row, circle_row, member_row in rows:
            circle = circles.get(row.circle_id) or circle_from_row(circle_row)
            member = members.get(row.member_id) or member_from_row(member_row)
            circles[row.circle_id], members[row.member_id] = circle, member
            checkins.append(checkin_from_row(row, circle, member))
        return checkins

    async def due_circles(self, now: datetime) -> list[ScheduledCircle]:
        schedule = CheckinScheduleRow
        last_scheduled = select(func.coalesce(func.max(col(schedule.circle_id)), 0))
        due: CompoundSelect[int] = union(
            select(schedule.circle_id).where(col(schedule.due_at) <= now),
            select(CircleRow.id).where(col(CircleRow.id) > last_scheduled.scalar_subquery()),
        )
        rows = await self._session.execute(
            select(CircleRow, func.coalesce(col(schedule.version), 0))
            .outerjoin(schedule, col(schedule.circle_id) == col(CircleRow.id))
            .where(col(CircleRow.id).in_(due))
            .order_by(col(CircleRow.id))
            .execution_options(populate_existing=True)
        )
        return [ScheduledCircle(circle_from_row(row), version) for row, version in rows]

    async def reschedule(self, circle_id: int, version: int, due_at: datetime | None) -> None:
        statement = upsert(self._session.get_bind().dialect.name).values(
            circle_id=circle_id, due_at=due_at, version=version
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["circle_id"],
                set_={"due_at": statement.excluded.due_at},
                where=col(CheckinScheduleRow.version) == version,
            )
        )

    async def existing(self, circle_id: int, periods: Collection[str]) -> set[tuple[int, str]]:
        if not periods:
            return set()
        rows = await self._session.execute(
            select(CheckinRow.member_id, CheckinRow.period).where(
                CheckinRow.circle_id == circle_id, col(CheckinRow.period).in_(list(periods))
            )
        )
        return {(member_id, period) for member_id, period in rows}

    async def add(self, checkin: NewCheckin) -> Checkin | None:
        added = await self.add_all([checkin])
        return added[0] if added else None

    async def add_all(self, checkins: Sequence[NewCheckin]) -> list[Checkin]:
        if not checkins:
            return []
        by_key = {(c.member.id, c.period): c for c in checkins}
        statement = insert_or_nothing(
            self._session, CheckinRow, None, ["circle_id", "member_id", "period"]
        ).returning(col(CheckinRow.id), col(CheckinRow.member_id), col(CheckinRow.period))
        rows = [checkin_values(c) for c in by_key.values()]
        added = [
            saved(Checkin, by_key[(row.member_id, row.period)], row_id(row))
            for row in await self._session.execute(statement, rows)
        ]
        await self._expect_digests(added)
        return added

    async def _expect_digests(self, added: Sequence[Checkin]) -> None:
        """Each period these check-ins belong to has its digest to come, due when the last of
        its windows closes."""
        closing: dict[tuple[int, str], datetime] = {}
        for checkin in added:
            key = (checkin.circle.id, checkin.period)
            closing[key] = max(closing.get(key, checkin.closes_at), checkin.closes_at)
        if not closing:
            return
        dialect = self._session.get_bind().dialect.name
        insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(PendingDigestRow)
        stored = col(PendingDigestRow.due_at)
        later = case((insert.excluded.due_at > stored, insert.excluded.due_at), else_=stored)
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=["circle_id", "period"], set_={"due_at": later}
            ),
            [{"circle_id": c, "period": p, "due_at": at} for (c, p), at in closing.items()],
        )

    async def save(self, checkin: Checkin) -> None:
        checkin_to_row(checkin, await self._session.get_one(CheckinRow, checkin.id))
        await self._session.flush()

    async def get(self, checkin_id: int) -> Checkin | None:
        found = await self._load(
            _checkins(CheckinRow.id == checkin_id).with_for_update(of=CheckinRow)
        )
        return found[0] if found else None

    async def latest_of(self, member_id: int) -> list[Checkin]:
        newest_first = func.row_number().over(
            partition_by=col(CheckinRow.circle_id),
            order_by=(col(CheckinRow.scheduled_at).desc(), col(CheckinRow.id).desc()),
        )
        ranked = (
            select(col(CheckinRow.id).label("id"), newest_first.label("rank"))
            .where(CheckinRow.member_id == member_id)
            .subquery()
        )
        latest = select(ranked.c.id).where(ranked.c.rank == 1)
        return await self._load(
            _checkins(col(CheckinRow.id).in_(latest)).order_by(
                col(CheckinRow.closes_at), col(CheckinRow.id)
            )
        )

    async def of_period(self, circle_id: int, period: str) -> list[Checkin]:
        return await self._load(
            _checkins(CheckinRow.circle_id == circle_id, CheckinRow.period == period).order_by(
                func.lower(col(MemberRow.display_name)), col(MemberRow.id)
            )
        )

    async def latest_period(self, circle_id: int) -> str | None:
        found = await self._session.execute(
            select(CheckinRow.period)
            .where(CheckinRow.circle_id == circle_id)
            .order_by(col(CheckinRow.scheduled_at).desc(), col(CheckinRow.id).desc())
            .limit(1)
        )
        return found.scalar_one_or_none()

    async def reminders_due(self, now: datetime, limit: int) -> list[Checkin]:
        return await self._due(col(CheckinRow.remind_at), now, limit)

    async def closing(self, now: datetime, limit: int) -> list[Checkin]:
        return await self._due(col(CheckinRow.closes_at), now, limit)

    async def _due(
        self, moment: Mapped[datetime] | Mapped[datetime | None], now: datetime, limit: int
    ) -> list[Checkin]:
        """Open check-ins whose `moment` has come, the longest due first (then by id): the order
        of the partial index on that moment, so no database reads or sorts a check-in that is
        not due (ordered by id alone, SQLite walks the whole table by rowid instead). Rows
        another transaction holds are skipped: the next run sees them if they are still open
        and due then."""
        return await self._load(
            _checkins(IS_OPEN, moment <= now)
            .order_by(moment, col(CheckinRow.id))
            .limit(limit)
            .with_for_update(of=CheckinRow, skip_locked=True)
        )

    async def periods_to_digest(self, now: datetime, limit: int) -> list[tuple[int, str]]:
        pending = PendingDigestRow
        still_open = exists().where(
            col(CheckinRow.circle_id) == col(pending.circle_id),
            col(CheckinRow.period) == col(pending.period),
            IS_OPEN,
        )
        rows = await self._session.execute(
            select(pending.circle_id, pending.period)
            .where(col(pending.due_at) <= now, ~still_open)
            .order_by(col(pending.due_at), col(pending.circle_id), col(pending.period))
            .limit(limit)
        )
        return [(circle_id, period) for circle_id, period in rows]

    async def add_digest(self, circle_id: int, period: str, now: datetime) -> bool:
        await self._session.execute(
            delete(PendingDigestRow).where(
                col(PendingDigestRow.circle_id) == circle_id, col(PendingDigestRow.period) == period
            )
        )
        values = {"circle_id": circle_id, "period": period, "sent_at": now}
        statement = insert_or_nothing(
            self._session, CheckinDigestRow, values, ["circle_id", "period"]
        )
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def last_digest_at(self, circle_id: int) -> datetime | None:
        found = await self._session.execute(
            select(func.max(col(CheckinDigestRow.sent_at))).where(
                CheckinDigestRow.circle_id == circle_id
            )
        )
        return found.scalar_one()

    async def late_since(self, circle_id: int, since: datetime | None) -> list[Checkin]:
        after = col(CheckinRow.answered_at) > since if since is not None else True
        return await self._load(
            _checkins(
                CheckinRow.circle_id == circle_id,
                CheckinRow.status == ANSWERED,
                col(CheckinRow.late).is_(True),
                after,
            ).order_by(col(CheckinRow.answered_at), col(CheckinRow.id))
        )

    async def answered_count(self, member_id: int) -> int:
        found = await self._session.execute(
            select(func.count())
            .select_from(CheckinRow)
            .where(CheckinRow.member_id == member_id, CheckinRow.status == ANSWERED)
        )
        return found.scalar_one()

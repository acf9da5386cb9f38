"""Keeps the check-in schedule honest: whatever can make a check-in due sooner than a circle's
stored moment marks that circle for the check-in job's next pass.

Rules:
- a circle is marked when it is made, when any of its settings changes (cadence, day, time,
  audience, archiving), when someone joins it or their role in it changes, and when one of its
  members changes time zone or quiet hours, when a blackout of its workspace is lifted, and when
  its workspace's time zone is changed (`mark_workspace`, by storage.settings); the mark is
  written in the same flush or transaction, so it commits or rolls back with the change itself,
  whichever feature made it;
- a mark sets the moment to "now" (a fixed moment long past) and bumps the circle's version;
- changes that can only make a check-in due later (leaving, pausing, a new blackout) need no
  mark: the job looks at the circle at its stored moment and finds nothing owed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, event, inspect, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlmodel import col, select

from bot.kernel.model import WorkspaceRef
from storage.checkins.tables import CheckinScheduleRow
from storage.circles.tables import CircleRow, MembershipRow
from storage.members.tables import MemberRow
from storage.moderation.tables import BlackoutRow

MARKED = datetime(2000, 1, 1, tzinfo=UTC)
"""The moment a marked circle is due at: before any tick."""
CIRCLE_FIELDS = ("cadence", "day", "time", "checkin_audience", "archived_at", "schedule_since")
MEMBERSHIP_FIELDS = ("role", "circle_id", "member_id", "joined_at")
MEMBER_FIELDS = ("timezone", "quiet_hours")


def upsert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into the schedule that can say what to do ON CONFLICT, in this dialect."""
    if dialect == "postgresql":
        return postgresql.insert(CheckinScheduleRow)
    return sqlite.insert(CheckinScheduleRow)


def _changed(row: Any, fields: Iterable[str]) -> bool:
    attrs = inspect(row).attrs
    return any(attrs[name].history.has_changes() for name in fields)


def _marks(session: Session) -> tuple[set[int], set[int], set[int]]:
    """(new circles, changed circles, members whose zone or quiet hours changed) of a flush."""
    new_circles = {row.id for row in session.new if isinstance(row, CircleRow) and row.id}
    circles = {
        row.id
        for row in session.dirty
        if isinstance(row, CircleRow) and row.id and _changed(row, CIRCLE_FIELDS)
    }
    circles |= {
        row.circle_id
        for row in (*session.new, *session.dirty)
        if isinstance(row, MembershipRow) and _changed(row, MEMBERSHIP_FIELDS)
    }
    members = {
        row.id
        for row in session.dirty
        if isinstance(row, MemberRow) and row.id and _changed(row, MEMBER_FIELDS)
    }
    return new_circles, circles, members


@event.listens_for(Session, "after_flush")
def mark_stale_schedules(session: Session, _flush: UOWTransaction) -> None:
    """After every flush of any session: mark the circles whose check-ins may now fall due sooner.
    New circles get their row here (a circle made by bulk insert is found by the job anyway, by
    its id); the rest are updated in place."""
    new_circles, circles, members = _marks(session)
    if not (new_circles or circles or members):
        return
    connection = session.connection()
    if new_circles:
        rows = [{"circle_id": c, "due_at": MARKED, "version": 1} for c in new_circles]
        connection.execute(
            upsert(connection.dialect.name).on_conflict_do_nothing(index_elements=["circle_id"]),
            rows,
        )
    stale: ColumnElement[bool] | None = None
    if circles:
        stale = col(CheckinScheduleRow.circle_id).in_(circles)
    if members:
        of_members = select(MembershipRow.circle_id).where(
            col(MembershipRow.member_id).in_(members)
        )
        by_member = col(CheckinScheduleRow.circle_id).in_(of_members)
        stale = by_member if stale is None else stale | by_member
    if stale is not None:
        _mark(connection, stale)


@event.listens_for(Session, "do_orm_execute")
def mark_after_lifted_blackouts(state: ORMExecuteState) -> None:
    """Before a DELETE of blackouts: a lifted holiday can make a period owed at once, so the
    circles of each workspace losing one are marked."""
    if not state.is_delete:  # every other statement passes at the cost of one test
        return
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is not BlackoutRow:
        return
    connection = state.session.connection()
    where = state.statement.whereclause  # type: ignore[attr-defined]
    lifted = select(BlackoutRow.platform, BlackoutRow.workspace_id).distinct()
    for platform, workspace_id in connection.execute(
        lifted if where is None else lifted.where(where)
    ):
        mark_workspace(connection, WorkspaceRef(platform, workspace_id))


def mark_workspace(connection: Connection, workspace: WorkspaceRef) -> None:
    """Mark every circle of `workspace`: a change to the whole workspace (a holiday lifted, its
    time zone changed) can make any of its check-ins due sooner."""
    circles = select(CircleRow.id).where(
        CircleRow.platform == workspace.platform, CircleRow.workspace_id == workspace.workspace_id
    )
    _mark(connection, col(CheckinScheduleRow.circle_id).in_(circles))


def _mark(connection: Connection, circles: ColumnElement[bool]) -> None:
    """Make these circles' schedules due now, under a new version."""
    connection.execute(
        update(CheckinScheduleRow)
        .where(circles)
        .values(due_at=MARKED, version=col(CheckinScheduleRow.version) + 1)
    )

"""Goals over one AsyncSession.

Rules:
- a goal is read with its owner and its notes (oldest first) in two queries, never a lazy load;
- a member's goals are found by their id, so within their workspace; `counts` keeps to one
  workspace and gives numbers only;
- sharing is a row per member who shares; turning it on twice is one row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func
from sqlmodel import col, select

from bot.kernel.model import Goal, GoalNote, GoalStatus, NewGoal, WorkspaceRef
from storage.goals.mapping import goal_from_row, goal_to_row, note_to_row
from storage.goals.tables import GoalNoteRow, GoalRow, GoalSharingRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.queries import SessionRepository, insert_or_nothing, of_workspace, written
from storage.saved import row_id, saved

OPEN = GoalStatus.OPEN.value
DONE = GoalStatus.DONE.value


class SqlGoalRepository(SessionRepository):
    async def add(self, goal: NewGoal) -> Goal:
        row = goal_to_row(goal)
        self._session.add(row)
        await self._session.flush()
        return saved(Goal, goal, row_id(row))

    async def save(self, goal: Goal) -> None:
        row = await self._session.get(GoalRow, goal.id)
        assert row is not None
        row.status, row.closed_at, row.asked_at = goal.status.value, goal.closed_at, goal.asked_at
        await self._session.flush()

    async def get(self, goal_id: int) -> Goal | None:
        found = await self._goals(col(GoalRow.id) == goal_id)
        return found[0] if found else None

    async def open_of(self, member_id: int) -> list[Goal]:
        return await self._goals(col(GoalRow.member_id) == member_id, col(GoalRow.status) == OPEN)

    async def owners_in(self, workspace: WorkspaceRef) -> set[int]:
        query = select(col(GoalRow.member_id)).where(
            of_workspace(GoalRow, workspace), col(GoalRow.status) == OPEN
        )
        return set((await self._session.execute(query.distinct())).scalars())

    async def all_of(self, member_id: int) -> list[Goal]:
        """Every goal of the member, open or closed, oldest first (for their export)."""
        return await self._goals(col(GoalRow.member_id) == member_id)

    async def add_note(self, goal_id: int, note: GoalNote) -> None:
        self._session.add(note_to_row(goal_id, note))
        await self._session.flush()

    async def reached_count(self, member_id: int) -> int:
        statement = (
            select(func.count())
            .select_from(GoalRow)
            .where(col(GoalRow.member_id) == member_id, col(GoalRow.status) == DONE)
        )
        return (await self._session.execute(statement)).scalar_one()

    async def due_to_ask(self, now: datetime, limit: int) -> list[Goal]:
        # The due goals' ids first, off ix_goals_due_unasked alone (the status written out: a
        # parameter would hide the index from SQLite); joined to members, SQLite's planner may
        # start from the members instead. An idle pass is this one read.
        due = await self._session.execute(
            select(GoalRow.id)
            .where(
                col(GoalRow.status) == written(OPEN),
                col(GoalRow.asked_at).is_(None),
                col(GoalRow.due_at).is_not(None),
                col(GoalRow.due_at) <= now,
            )
            .order_by(col(GoalRow.due_at), col(GoalRow.id))
            .limit(limit)
        )
        ids = list(due.scalars())
        return await self._goals(col(GoalRow.id).in_(ids)) if ids else []

    async def counts(
        self, workspace: WorkspaceRef, member_ids: Collection[int] | None
    ) -> dict[int, tuple[int, int]]:
        among = True if member_ids is None else col(GoalRow.member_id).in_(member_ids)
        rows = await self._session.execute(
            select(GoalRow.member_id, GoalRow.status, func.count())
            .where(of_workspace(GoalRow, workspace), among)
            .group_by(col(GoalRow.member_id), col(GoalRow.status))
        )
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for member_id, status, n in rows:
            if status == OPEN:
                counts[member_id][0] += n
            elif status == DONE:
                counts[member_id][1] += n
        return {m: (c[0], c[1]) for m, c in counts.items()}

    async def shares(self, member_id: int) -> bool:
        return await self._session.get(GoalSharingRow, member_id) is not None

    async def set_sharing(self, member_id: int, shared: bool, now: datetime) -> None:
        if shared:
            values = {"member_id": member_id, "since": now}
            statement = insert_or_nothing(self._session, GoalSharingRow, values, ["member_id"])
            await self._session.execute(statement)
        else:
            await self._session.execute(
                delete(GoalSharingRow).where(col(GoalSharingRow.member_id) == member_id)
            )

    async def _goals(
        self, *where: ColumnElement[bool] | bool, limit: int | None = None
    ) -> list[Goal]:
        statement = (
            select(GoalRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(GoalRow.member_id))
            .where(*where)
            .order_by(col(GoalRow.created_at), col(GoalRow.id))
        )
        rows = await self._rows(statement.limit(limit) if limit else statement)
        notes = await self._notes([row_id(goal) for goal, _ in rows])
        return [
            goal_from_row(goal, member_from_row(member), notes.get(row_id(goal), ()))
            for goal, member in rows
        ]

    async def _notes(self, goal_ids: Sequence[int]) -> dict[int, list[GoalNoteRow]]:
        if not goal_ids:
            return {}
        rows = await self._session.execute(
            select(GoalNoteRow)
            .where(col(GoalNoteRow.goal_id).in_(goal_ids))
            .order_by(col(GoalNoteRow.written_at), col(GoalNoteRow.id))
        )
        notes: dict[int, list[GoalNoteRow]] = defaultdict(list)
        for note in rows.scalars():
            notes[note.goal_id].append(note)
        return notes

"""Goal rows to the core's goals and back. Texts are cut to what their columns hold."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.model import Goal, GoalNote, GoalStatus, Member, NewGoal, WorkspaceRef
from storage.goals.tables import GoalNoteRow, GoalRow
from storage.saved import row_id

GOAL_TEXT_LIMIT = 200
NOTE_TEXT_LIMIT = 500


def goal_from_row(row: GoalRow, owner: Member, notes: Sequence[GoalNoteRow]) -> Goal:
    return Goal(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        owner=owner,
        text=row.text,
        created_at=row.created_at,
        due_on=row.due_on,
        due_at=row.due_at,
        status=GoalStatus(row.status),
        closed_at=row.closed_at,
        asked_at=row.asked_at,
        notes=[GoalNote(n.text, n.written_at) for n in notes],
        id=row_id(row),
    )


def goal_to_row(goal: NewGoal) -> GoalRow:
    return GoalRow(
        platform=goal.workspace.platform,
        workspace_id=goal.workspace.workspace_id,
        member_id=goal.owner.id,
        text=goal.text[:GOAL_TEXT_LIMIT],
        created_at=goal.created_at,
        due_on=goal.due_on,
        due_at=goal.due_at,
        status=goal.status.value,
        closed_at=goal.closed_at,
        asked_at=goal.asked_at,
    )


def note_to_row(goal_id: int, note: GoalNote) -> GoalNoteRow:
    return GoalNoteRow(
        goal_id=goal_id, text=note.text[:NOTE_TEXT_LIMIT], written_at=note.written_at
    )

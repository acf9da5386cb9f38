"""The retention purge: what members wrote, once older than the retention period, over one
AsyncSession.

Rules:
- check-ins keep their row, counted, with no answers and no skip reason; a concern (flag) keeps
  its row, counted by /stats, with no words, and the messages keyed by it go; messages finished
  (sent, failed or uncertain) before the cutoff are deleted; a reflection keeps its row (and
  its answer to "stay in touch?") with no words; a meeting rating keeps its score, counted,
  without its note (storage.feedback.privacy);
- each statement finds only what is left to purge through partial or plain indexes, so once
  done they cost next to nothing and may run every tick;
- a group of workspaces (those kept for the same period, storage.settings.retention) adds a
  condition on each row found, never a statement per workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, text, true, update
from sqlmodel import col

from bot.privacy.ports import Purged, RetentionGroup
from storage.checkins.tables import HOLDS_ANSWERS, CheckinRow
from storage.connections.erasure import purge_reflections
from storage.connections.tables import ReflectionRow
from storage.feedback.privacy import purge_notes_before
from storage.flags.tables import FlagRow
from storage.goals.tables import HOLDS_TEXT, GoalNoteRow, GoalRow
from storage.members.tables import MemberRow
from storage.outbox.tables import OutboxRow
from storage.privacy.messages import FINISHED, count, drop_messages, ids
from storage.queries import SessionRepository
from storage.settings.retention import kept_for


class SqlRetention(SessionRepository):
    async def purge_before(self, cutoff: datetime, group: RetentionGroup | None = None) -> Purged:
        unsynchronised = {"synchronize_session": False}
        answers = await self._session.execute(
            update(CheckinRow)
            .where(
                col(CheckinRow.closes_at) < cutoff, text(HOLDS_ANSWERS), kept_for(group, CheckinRow)
            )
            .values(answers=[], skip_reason="")
            .execution_options(**unsynchronised)
        )
        # A concern's words go; the row stays, so /stats still counts it.
        flag_ids = await ids(
            self._session,
            update(FlagRow)
            .where(
                col(FlagRow.created_at) < cutoff,
                col(FlagRow.text) != "",
                kept_for(group, FlagRow),
            )
            .values(text="")
            .returning(col(FlagRow.id))
            .execution_options(**unsynchronised),
        )
        await drop_messages(self._session, [f"flag:{i}:" for i in flag_ids], None)
        rating_notes = await purge_notes_before(self._session, cutoff, group)
        messages = await self._session.execute(
            delete(OutboxRow)
            .where(
                col(OutboxRow.status).in_(FINISHED),
                col(OutboxRow.next_attempt_at) < cutoff,
                kept_for(group, OutboxRow),
            )
            .execution_options(**unsynchronised)
        )
        # A goal's progress notes lose their words like check-in answers; when stays.
        goal_notes = await self._session.execute(
            update(GoalNoteRow)
            .where(
                col(GoalNoteRow.written_at) < cutoff,
                text(HOLDS_TEXT),
                _of_group(group, col(GoalNoteRow.goal_id), GoalRow),
            )
            .values(text="")
            .execution_options(**unsynchronised)
        )
        reflections = await purge_reflections(
            self._session, cutoff, _of_group(group, col(ReflectionRow.member_id), MemberRow)
        )
        return Purged(
            count(answers),
            len(flag_ids),
            count(messages),
            goal_notes=count(goal_notes),
            reflections=reflections,
            rating_notes=rating_notes,
        )


def _of_group(group: RetentionGroup | None, owner: Any, table: Any) -> ColumnElement[bool]:
    """Rows whose `owner` (a goal's or a member's id) is a row of `table` in `group`'s
    workspaces, looked up by primary key for each row found."""
    if group is None:
        return true()
    return exists().where(col(table.id) == owner, kept_for(group, table))

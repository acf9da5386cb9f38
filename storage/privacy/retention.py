"""The retention purge: what members wrote, once older than the retention period, over one
AsyncSession.

Rules:
- check-ins keep their row, counted, with no answers and no skip reason; a concern (flag) keeps
  its row, counted by /stats, with no words, and the messages keyed by it go; messages finished
  (sent, failed or uncertain) before the cutoff are deleted; a reflection keeps its row (and
  its answer to "stay in touch?") with no words; a meeting rating keeps its score, counted,
  without its note (storage.feedback.privacy);
- each statement finds only what is left to purge through partial or plain indexes, so once
  done they cost next to nothing and may run every tick.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, text, update
from sqlmodel import col

from bot.privacy.ports import Purged
from storage.checkins.tables import HOLDS_ANSWERS, CheckinRow
from storage.connections.erasure import purge_reflections
from storage.feedback.privacy import purge_notes_before
from storage.flags.tables import FlagRow
from storage.goals.tables import HOLDS_TEXT, GoalNoteRow
from storage.outbox.tables import OutboxRow
from storage.privacy.messages import FINISHED, count, drop_messages, ids
from storage.queries import SessionRepository


class SqlRetention(SessionRepository):
    async def purge_before(self, cutoff: datetime) -> Purged:
        unsynchronised = {"synchronize_session": False}
        answers = await self._session.execute(
            update(CheckinRow)
            .where(col(CheckinRow.closes_at) < cutoff, text(HOLDS_ANSWERS))
            .values(answers=[], skip_reason="")
            .execution_options(**unsynchronised)
        )
        # A concern's words go; the row stays, so /stats still counts it.
        flag_ids = await ids(
            self._session,
            update(FlagRow)
            .where(col(FlagRow.created_at) < cutoff, col(FlagRow.text) != "")
            .values(text="")
            .returning(col(FlagRow.id))
            .execution_options(**unsynchronised),
        )
        await drop_messages(self._session, [f"flag:{i}:" for i in flag_ids], None)
        rating_notes = await purge_notes_before(self._session, cutoff)
        messages = await self._session.execute(
            delete(OutboxRow)
            .where(col(OutboxRow.status).in_(FINISHED), col(OutboxRow.next_attempt_at) < cutoff)
            .execution_options(**unsynchronised)
        )
        # A goal's progress notes lose their words like check-in answers; when stays.
        goal_notes = await self._session.execute(
            update(GoalNoteRow)
            .where(col(GoalNoteRow.written_at) < cutoff, text(HOLDS_TEXT))
            .values(text="")
            .execution_options(**unsynchronised)
        )
        reflections = await purge_reflections(self._session, cutoff)
        return Purged(
            count(answers),
            len(flag_ids),
            count(messages),
            goal_notes=count(goal_notes),
            reflections=reflections,
            rating_notes=rating_notes,
        )

"""What privacy reads and changes of the ratings, over one AsyncSession: a member's export,
their erasure and the retention purge (called from storage.privacy, which owns those jobs).

Rules:
- the export holds the ratings the member gave, with their notes and the name of the buddy
  they rated; never the ratings about them or who gave them;
- erasure blanks the notes the member wrote and the notes about them, and keeps every score:
  the rows are what /stats and the rated member's average rest on, and with the erased
  member's record anonymised a score is an anonymous number; the messages keyed by a rating
  by or about them (which quote its note, for the moderators) are deleted, like those of a
  concern they raised;
- the retention purge blanks notes given before the cutoff (found through a partial index) and
  deletes the messages keyed by those ratings; the scores stay, counted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.kernel.model.feedback import MeetingRating
from bot.privacy.ports import RetentionGroup
from storage.feedback.mapping import rating_from_row
from storage.feedback.tables import HOLDS_A_NOTE, MeetingRatingRow
from storage.members.tables import MemberRow
from storage.privacy.messages import drop_messages, ids
from storage.settings.retention import kept_for


async def ratings_given(session: AsyncSession, member_id: int) -> list[tuple[MeetingRating, str]]:
    """The ratings the member gave, oldest first, each with the name of the buddy rated."""
    rows = await session.execute(
        select(MeetingRatingRow, MemberRow.display_name)
        .join(MemberRow, col(MemberRow.id) == col(MeetingRatingRow.rated_id))
        .where(col(MeetingRatingRow.rater_id) == member_id)
        .order_by(col(MeetingRatingRow.rated_at), col(MeetingRatingRow.id))
    )
    return [(rating_from_row(row), name) for row, name in rows]


async def erase_ratings(session: AsyncSession, member_id: int) -> None:
    """Blank the notes by and about the member, keeping the scores; delete the messages keyed
    by those ratings."""
    theirs = await ids(
        session,
        update(MeetingRatingRow)
        .where(
            or_(
                col(MeetingRatingRow.rater_id) == member_id,
                col(MeetingRatingRow.rated_id) == member_id,
            )
        )
        .values(note="")
        .returning(col(MeetingRatingRow.id))
        .execution_options(synchronize_session=False),
    )
    await drop_messages(session, [f"feedback:{i}:" for i in theirs], None)


async def purge_notes_before(
    session: AsyncSession, cutoff: datetime, group: RetentionGroup | None = None
) -> int:
    """Blank the notes of ratings given before `cutoff` (in `group`'s workspaces, None: all)
    and delete their messages; how many."""
    purged = await ids(
        session,
        update(MeetingRatingRow)
        .where(
            col(MeetingRatingRow.rated_at) < cutoff,
            text(HOLDS_A_NOTE),
            kept_for(group, MeetingRatingRow),
        )
        .values(note="")
        .returning(col(MeetingRatingRow.id))
        .execution_options(synchronize_session=False),
    )
    await drop_messages(session, [f"feedback:{i}:" for i in purged], None)
    return len(purged)

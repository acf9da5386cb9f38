"""Rating rows to the core's ratings and back. The note is cut to what its column holds."""

from __future__ import annotations

from bot.kernel.model import WorkspaceRef
from bot.kernel.model.feedback import MeetingRating, NewMeetingRating
from storage.feedback.tables import NOTE_COLUMN_LIMIT, MeetingRatingRow
from storage.saved import row_id


def rating_from_row(row: MeetingRatingRow) -> MeetingRating:
    return MeetingRating(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        pairing_id=row.pairing_id,
        rater_id=row.rater_id,
        rated_id=row.rated_id,
        score=row.score,
        rated_at=row.rated_at,
        note=row.note,
        circle_id=row.circle_id,
        id=row_id(row),
    )


def rating_to_row(
    rating: NewMeetingRating, row: MeetingRatingRow | None = None
) -> MeetingRatingRow:
    """A new row for `rating`, or `row` with its score, note and moment."""
    if row is None:
        row = MeetingRatingRow(
            platform=rating.workspace.platform,
            workspace_id=rating.workspace.workspace_id,
            pairing_id=rating.pairing_id,
            rater_id=rating.rater_id,
            rated_id=rating.rated_id,
            circle_id=rating.circle_id,
            score=rating.score,
            rated_at=rating.rated_at,
        )
    row.score, row.rated_at = rating.score, rating.rated_at
    row.note = rating.note[:NOTE_COLUMN_LIMIT]
    return row

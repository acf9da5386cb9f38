"""The ratings of meetings."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.columns import member_fk, optional_fk

NOTE_COLUMN_LIMIT = 500

HOLDS_A_NOTE = "note <> ''"
"""The condition of the partial index the retention purge finds notes through."""


class MeetingRatingRow(SQLModel, table=True):
    """One person's rating of a meeting with a partner of a pairing. Unique per pairing, rater
    and partner, so a second rating replaces the first whatever races; `circle_id` is the
    pairing's (for /stats per circle), None for an on-demand pairing."""

    __tablename__ = "meeting_ratings"
    __table_args__ = (
        UniqueConstraint("pairing_id", "rater_id", "rated_id"),
        Index("ix_meeting_ratings_workspace_rated", "platform", "workspace_id", "rated_at"),
        Index(
            "ix_meeting_ratings_noted",
            "rated_at",
            sqlite_where=text(HOLDS_A_NOTE),
            postgresql_where=text(HOLDS_A_NOTE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    pairing_id: int = Field(
        sa_column=Column(Integer, ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    )
    rater_id: int = Field(sa_column=member_fk(index=True))
    rated_id: int = Field(sa_column=member_fk(index=True))
    circle_id: int | None = Field(default=None, sa_column=optional_fk("circles.id", index=True))
    score: int
    note: str = Field(default="", max_length=NOTE_COLUMN_LIMIT)
    rated_at: datetime

"""The goals, goal_notes and goal_sharing tables."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel

from storage.columns import member_fk

HOLDS_TEXT = "text <> ''"
"""A note still holding its words: the retention purge's scan sees only these (the same text is
in the purge's WHERE, which is what lets both databases use the partial index)."""
OPEN_UNASKED = text("status = 'open' AND asked_at IS NULL AND due_at IS NOT NULL")
"""The due job's scan, across workspaces: only open goals with a date nobody asked about yet."""


class GoalRow(SQLModel, table=True):
    """A member's goal. Erasure deletes it with its notes; nothing counts it afterwards."""

    __tablename__ = "goals"
    __table_args__ = (
        Index("ix_goals_member_status", "member_id", "status"),
        Index(
            "ix_goals_due_unasked",
            "due_at",
            sqlite_where=OPEN_UNASKED,
            postgresql_where=OPEN_UNASKED,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    member_id: int = Field(sa_column=member_fk())
    text: str = Field(max_length=200)
    created_at: datetime
    due_on: date | None = None
    due_at: datetime | None = None
    status: str = Field(default="open", max_length=16)
    closed_at: datetime | None = None
    asked_at: datetime | None = None


class GoalNoteRow(SQLModel, table=True):
    """A progress note on a goal, in its owner's words; the retention purge blanks the text."""

    __tablename__ = "goal_notes"
    __table_args__ = (
        Index(
            "ix_goal_notes_holding_text",
            "written_at",
            sqlite_where=text(HOLDS_TEXT),
            postgresql_where=text(HOLDS_TEXT),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    text: str = Field(max_length=500)
    written_at: datetime


class GoalSharingRow(SQLModel, table=True):
    """A member who shares their goals with their circles (`/goal share on`); no row: not
    shared."""

    __tablename__ = "goal_sharing"

    member_id: int = Field(
        sa_column=Column(Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    )
    since: datetime

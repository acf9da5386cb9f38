"""The circles table and the memberships table."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class CircleRow(SQLModel, table=True):
    __tablename__ = "circles"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "name_key"),
        # The round job's scan, across workspaces: circles whose round may be due by now.
        Index("ix_circles_round_due", "round_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=40)
    topic: str = Field(default="", max_length=200)
    private: bool = False
    cadence: str = Field(default="off", max_length=16)
    day: str = Field(default="mon", max_length=3)
    time: str = Field(default="09:00", max_length=5)
    group_size: int = 2
    odd: str = Field(default="trio", max_length=16)
    checkin_audience: str = Field(default="mentors", max_length=16)
    checkin_questions: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    channel: str | None = Field(default=None, max_length=80)
    created_at: datetime
    archived_at: datetime | None = None
    schedule_since: datetime | None = None
    # Whether mentoring pairings here get the agreement; on for circles made before it existed.
    agreement: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    # When the round job next looks at the circle (storage.circles.mapping sets it when the
    # schedule changes, the job when it has looked); None: no cadence, or archived.
    round_due_at: datetime | None = None


class MembershipRow(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("circle_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), nullable=False)
    )
    member_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    role: str = Field(max_length=16)
    facilitator: bool = False
    joined_at: datetime
    # The server default fills the column in for memberships made before it existed.
    sit_outs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

"""The database tables: storage's own business; the core sees its dataclasses via repositories."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class MemberRow(SQLModel, table=True):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    user_id: str = Field(max_length=64)
    display_name: str = Field(max_length=100)
    is_moderator: bool = False
    role: str = Field(default="student", max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    stage: str | None = Field(default=None, max_length=20)
    subjects: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hours: str = Field(default="", max_length=500)
    quiet_hours: str | None = Field(default=None, max_length=11)
    bio: str = Field(default="", max_length=300)
    capacity: int | None = None
    public_kudos: bool = True
    listed: bool = True
    created_at: datetime
    updated_at: datetime


class CircleRow(SQLModel, table=True):
    __tablename__ = "circles"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "name_key"),)

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


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    target: str = Field(max_length=100)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    created_at: datetime
    next_attempt_at: datetime
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=300)

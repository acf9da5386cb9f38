"""The database tables: storage's own business; the core sees its dataclasses via repositories."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, text
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
    paused_until: datetime | None = None
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
    # The server default fills the column in for memberships made before it existed.
    sit_outs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


def _member_fk(*, index: bool = False) -> Column[int]:
    return Column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=index
    )


class PairingRoundRow(SQLModel, table=True):
    __tablename__ = "pairing_rounds"
    __table_args__ = (UniqueConstraint("circle_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), nullable=False)
    )
    period: str = Field(max_length=40)
    ran_at: datetime


class PairingRow(SQLModel, table=True):
    __tablename__ = "pairings"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    circle_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="SET NULL"), index=True),
    )
    round_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("pairing_rounds.id", ondelete="SET NULL"), index=True),
    )
    subject: str | None = Field(default=None, max_length=40)
    created_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = Field(default=None, max_length=300)


class SeatRow(SQLModel, table=True):
    """One person in one pairing. `open_on_demand` copies "the pairing is on demand and open" so
    that a unique index can refuse a second open on-demand pairing for anyone, whatever races."""

    __tablename__ = "pairing_seats"
    __table_args__ = (
        UniqueConstraint("pairing_id", "member_id"),
        Index(
            "ux_one_open_on_demand",
            "member_id",
            unique=True,
            sqlite_where=text("open_on_demand"),
            postgresql_where=text("open_on_demand"),
        ),
        Index("ix_seats_ask_at", "ask_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pairing_id: int = Field(
        sa_column=Column(Integer, ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    )
    member_id: int = Field(sa_column=_member_fk(index=True))
    role: str = Field(default="peer", max_length=16)
    reasons: str = Field(default="", max_length=500)
    answer: str | None = Field(default=None, max_length=16)
    answered_at: datetime | None = None
    ask_at: datetime | None = None
    open_on_demand: bool = False


class BuddyRequestRow(SQLModel, table=True):
    """A waiting /findbuddy. The partial unique index keeps one waiting request per member."""

    __tablename__ = "buddy_requests"
    __table_args__ = (
        Index(
            "ux_one_waiting_request",
            "member_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
        Index("ix_requests_queue", "platform", "workspace_id", "status", "created_at"),
        # The expiry job's scan, across workspaces: only waiting requests, by when they expire.
        Index(
            "ix_waiting_requests_expiry",
            "expires_at",
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    member_id: int = Field(sa_column=_member_fk())
    subject: str | None = Field(default=None, max_length=40)
    status: str = Field(default="waiting", max_length=16)
    created_at: datetime
    expires_at: datetime


class BlockRow(SQLModel, table=True):
    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("member_id", "blocked_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=_member_fk())
    blocked_id: int = Field(sa_column=_member_fk(index=True))
    created_at: datetime


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

"""The tables of pairings, their seats and rounds, the /findbuddy queue and blocks."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.columns import member_fk


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
    __table_args__ = (
        # Who is busy in a workspace (/findbuddy): its open on-demand pairings, not its history.
        Index(
            "ix_pairings_open_on_demand",
            "platform",
            "workspace_id",
            sqlite_where=text("kind = 'on-demand' AND ended_at IS NULL"),
            postgresql_where=text("kind = 'on-demand' AND ended_at IS NULL"),
        ),
        # The agreements note's scan, across workspaces: open pairings it has not yet looked at.
        Index(
            "ix_pairings_agreement_unchecked",
            "created_at",
            sqlite_where=text("ended_at IS NULL AND agreement_checked_at IS NULL"),
            postgresql_where=text("ended_at IS NULL AND agreement_checked_at IS NULL"),
        ),
    )

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
    ended_by_id: int | None = None
    """A member id without a foreign key: adding one would make SQLite copy `pairings`, which
    the seats point at; members are never deleted (erasure blanks them), so it cannot dangle."""
    agreement_checked_at: datetime | None = None
    """When the agreements note (storage.agreements) set the pairing aside for good: told to
    the moderators, or one it can never name (no mentor and mentee, or confirmed by all)."""


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
    member_id: int = Field(sa_column=member_fk(index=True))
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
    member_id: int = Field(sa_column=member_fk())
    subject: str | None = Field(default=None, max_length=40)
    status: str = Field(default="waiting", max_length=16)
    created_at: datetime
    expires_at: datetime


class BlockRow(SQLModel, table=True):
    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("member_id", "blocked_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=member_fk())
    blocked_id: int = Field(sa_column=member_fk(index=True))
    created_at: datetime

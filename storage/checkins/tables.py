"""The check-ins table and the digests table."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.columns import circle_fk, member_fk

OPEN_CHECKIN = text("status = 'open'")
# A check-in still holding what the member wrote: the retention purge's scan, by when its window
# closed, sees only these, so once purged a row costs the purge nothing. The same text is in the
# purge's WHERE, which is what lets both databases use this partial index.
HOLDS_ANSWERS = "(CAST(answers AS TEXT) <> '[]' OR skip_reason <> '')"


class CheckinRow(SQLModel, table=True):
    """One member's check-in for one period of one circle. The partial indexes serve the jobs'
    scans across workspaces: only open check-ins, by when they are reminded or close."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("circle_id", "member_id", "period"),
        Index(
            "ix_open_checkins_remind_at",
            "remind_at",
            sqlite_where=OPEN_CHECKIN,
            postgresql_where=OPEN_CHECKIN,
        ),
        Index(
            "ix_open_checkins_closes_at",
            "closes_at",
            sqlite_where=OPEN_CHECKIN,
            postgresql_where=OPEN_CHECKIN,
        ),
        Index("ix_checkins_circle_period", "circle_id", "period"),
        Index("ix_checkins_member_scheduled", "member_id", "scheduled_at"),
        Index(
            "ix_checkins_holding_answers",
            "closes_at",
            sqlite_where=text(HOLDS_ANSWERS),
            postgresql_where=text(HOLDS_ANSWERS),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(sa_column=circle_fk())
    member_id: int = Field(sa_column=member_fk())
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    period: str = Field(max_length=40)
    scheduled_at: datetime
    closes_at: datetime
    questions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=16)
    prompted_at: datetime | None = None
    reminders_sent: int = 0
    remind_at: datetime | None = None
    answers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    concern: bool = False
    answered_at: datetime | None = None
    late: bool = False
    skip_reason: str = Field(default="", max_length=300)


class CheckinDigestRow(SQLModel, table=True):
    """That a circle's period was digested: one row per (circle, period), whatever races."""

    __tablename__ = "checkin_digests"
    __table_args__ = (UniqueConstraint("circle_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(sa_column=circle_fk())
    period: str = Field(max_length=40)
    sent_at: datetime


def _circle_key() -> Column[int]:
    """The circle a row belongs to, as (part of) its primary key; deleted with the circle."""
    return Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True)


class CheckinScheduleRow(SQLModel, table=True):
    """When the check-in job must next look at a circle: the earliest moment anyone in it can owe
    a check-in (the next period's moment in the earliest of its members' zones, or the end of a
    member's quiet hours), None while nobody can. `version` grows each time a change to the
    circle, its memberships or a member's zone or quiet hours makes that moment stale, so the job
    never overwrites a mark made while it was computing."""

    __tablename__ = "checkin_schedules"
    __table_args__ = (Index("ix_checkin_schedules_due_at", "due_at"),)

    circle_id: int = Field(sa_column=_circle_key())
    due_at: datetime | None = None
    version: int = 0


class PendingDigestRow(SQLModel, table=True):
    """A circle's period whose moderators' digest is still to come, due when its last check-in
    window closes (the latest `closes_at` among its check-ins)."""

    __tablename__ = "checkin_pending_digests"
    __table_args__ = (Index("ix_checkin_pending_digests_due_at", "due_at"),)

    circle_id: int = Field(sa_column=_circle_key())
    period: str = Field(max_length=40, primary_key=True)
    due_at: datetime

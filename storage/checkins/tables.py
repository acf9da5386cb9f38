"""The check-ins table and the digests table."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
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

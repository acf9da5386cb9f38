"""The members table, and the milestones a member reached."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.columns import member_fk


class MemberRow(SQLModel, table=True):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "user_id"),
        # The "still in?" job's scan, across workspaces: only members with a question pending.
        Index(
            "ix_members_still_in_asked",
            "still_in_asked_at",
            sqlite_where=text("still_in_asked_at IS NOT NULL"),
            postgresql_where=text("still_in_asked_at IS NOT NULL"),
        ),
    )

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
    # The server default fills the column in for members made before it existed.
    missed_checkins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    still_in_asked_at: datetime | None = None
    quiet_rounds: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    went_quiet_at: datetime | None = None
    # "0", a plain string, is false on both databases and keeps the migration's ADD COLUMN in
    # place on SQLite; existing members are people, not bots.
    is_bot: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    unreachable_since: datetime | None = None
    unreachable_reason: str | None = Field(default=None, max_length=200)
    erased_at: datetime | None = None
    # Marked by a moderator: adult (true), not (false), or nobody said (null).
    adult: bool | None = None
    buddy_pool: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime
    updated_at: datetime


class MilestoneRow(SQLModel, table=True):
    """That a member reached a milestone: one row per (member, kind), whatever races."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("member_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=member_fk())
    kind: str = Field(max_length=32)
    reached_at: datetime

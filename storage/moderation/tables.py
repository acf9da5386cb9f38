"""The blackouts and audit entries tables."""

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.columns import optional_fk


class BlackoutRow(SQLModel, table=True):
    """Workspace holidays, first to last day inclusive."""

    __tablename__ = "blackouts"
    __table_args__ = (Index("ix_blackouts_workspace", "platform", "workspace_id", "first_day"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    first_day: date
    last_day: date
    created_at: datetime


class AuditEntryRow(SQLModel, table=True):
    """A moderator's action, kept when the moderator's member row is deleted (actor NULL);
    `about_id` is the member it was about, if any (a member's export lists those)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_workspace_created", "platform", "workspace_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    actor_id: int | None = Field(default=None, sa_column=optional_fk("members.id"))
    about_id: int | None = Field(default=None, sa_column=optional_fk("members.id", index=True))
    action: str = Field(max_length=40)
    subject: str = Field(max_length=200)
    detail: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime

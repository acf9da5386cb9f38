"""The kudos table."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.columns import member_fk, optional_fk


class KudosRow(SQLModel, table=True):
    """Recognition from one member to another. `dedupe_key` is unique, so a double click or a
    retried request stores one row whatever races; a revoked one keeps its row for the audit."""

    __tablename__ = "kudos"
    __table_args__ = (
        Index("ix_kudos_workspace_created", "platform", "workspace_id", "created_at"),
        Index("ix_kudos_giver_created", "giver_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    giver_id: int = Field(sa_column=member_fk())
    recipient_id: int = Field(sa_column=member_fk(index=True))
    reason: str = Field(max_length=300)
    value: str | None = Field(default=None, max_length=40)
    circle_id: int | None = Field(default=None, sa_column=optional_fk("circles.id", index=True))
    created_at: datetime
    dedupe_key: str = Field(max_length=200, unique=True)
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, sa_column=optional_fk("members.id"))
    revoke_reason: str = Field(default="", max_length=300)

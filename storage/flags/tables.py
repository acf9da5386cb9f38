"""The flags table."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from storage.columns import member_fk


class FlagRow(SQLModel, table=True):
    """A concern for the moderators. Erasure and the retention purge blank its text and keep
    the row, so /stats still counts it."""

    __tablename__ = "flags"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    member_id: int = Field(sa_column=member_fk(index=True))
    circle_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="SET NULL"), index=True),
    )
    checkin_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("checkins.id", ondelete="SET NULL"), index=True),
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(index=True)  # the retention purge's scan

"""The tables of reflections on ended pairings and of connections kept."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import member_fk, optional_fk

REFLECTION_LIMIT = 500


class ReflectionRow(SQLModel, table=True):
    """One member asked about one partner when their pairing ended: unique per (member,
    partner), so nobody is asked about the same person twice, whatever races."""

    __tablename__ = "reflections"
    __table_args__ = (UniqueConstraint("member_id", "partner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=member_fk())
    partner_id: int = Field(sa_column=member_fk(index=True))
    pairing_id: int | None = Field(default=None, sa_column=optional_fk("pairings.id"))
    asked_at: datetime
    stay_asked: bool = True
    stay: bool | None = None
    answered_at: datetime | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    written_at: datetime | None = Field(default=None, index=True)


class ConnectionRow(SQLModel, table=True):
    """Two members who both said yes to staying in touch, the smaller id first, once."""

    __tablename__ = "connections"
    __table_args__ = (
        UniqueConstraint("member_id", "other_id"),
        CheckConstraint("member_id < other_id", name="ck_connections_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=member_fk())
    other_id: int = Field(sa_column=member_fk(index=True))
    since: datetime

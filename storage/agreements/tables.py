"""The tables of agreements: who confirmed the agreement of which pairing, and which pairings
the moderators were told are still unconfirmed."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import member_fk


class AgreementRow(SQLModel, table=True):
    """One member's confirmation of their pairing's agreement: one row per (pairing, member),
    whatever races."""

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("pairing_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    pairing_id: int = Field(
        sa_column=Column(Integer, ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    )
    member_id: int = Field(sa_column=member_fk(index=True))
    confirmed_at: datetime


class AgreementNoteRow(SQLModel, table=True):
    """That the moderators were told a pairing's agreement was not confirmed in time (once per
    pairing); the migration marks every pairing made before agreements existed as told."""

    __tablename__ = "agreement_notes"

    pairing_id: int = Field(
        sa_column=Column(Integer, ForeignKey("pairings.id", ondelete="CASCADE"), primary_key=True)
    )
    noted_at: datetime

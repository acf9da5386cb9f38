"""Reflection rows to the core's reflections and back. The text is cut to what its column
holds."""

from __future__ import annotations

from bot.kernel.model import Member, NewReflection, Reflection
from storage.connections.tables import REFLECTION_LIMIT, ReflectionRow
from storage.saved import row_id


def reflection_from_row(row: ReflectionRow, partner: Member) -> Reflection:
    return Reflection(
        member_id=row.member_id,
        partner=partner,
        pairing_id=row.pairing_id,
        asked_at=row.asked_at,
        stay_asked=row.stay_asked,
        stay=row.stay,
        answered_at=row.answered_at,
        text=row.text,
        written_at=row.written_at,
        id=row_id(row),
    )


def reflection_values(reflection: NewReflection) -> dict[str, object]:
    """The columns of a new reflection, for an INSERT ... ON CONFLICT (plain values)."""
    return {
        "member_id": reflection.member_id,
        "partner_id": reflection.partner.id,
        "pairing_id": reflection.pairing_id,
        "asked_at": reflection.asked_at,
        "stay_asked": reflection.stay_asked,
        "stay": reflection.stay,
        "answered_at": reflection.answered_at,
        "text": reflection.text[:REFLECTION_LIMIT],
        "written_at": reflection.written_at,
    }

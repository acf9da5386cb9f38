"""The references the feature tables share.

Rules:
- a row that belongs to a member or a circle is deleted with it (ON DELETE CASCADE);
- a reference that outlives its row is set to NULL when that row is deleted.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer


def member_fk(*, index: bool = False) -> Column[int]:
    """The member a row belongs to."""
    return Column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=index
    )


def circle_fk() -> Column[int]:
    """The circle a row belongs to."""
    return Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), nullable=False)


def optional_fk(target: str, *, index: bool = False) -> Column[int]:
    """A reference that outlives its row: set to NULL when the row it points at is deleted."""
    return Column(Integer, ForeignKey(target, ondelete="SET NULL"), nullable=True, index=index)

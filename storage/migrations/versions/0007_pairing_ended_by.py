"""pairings.ended_by_id: who ended a pairing, so that their reason is exported to them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode and without a foreign key: a plain ADD COLUMN in place on SQLite, so
    # `pairings` (which the seats point at) is never copied.
    op.add_column('pairings', sa.Column('ended_by_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('pairings', 'ended_by_id')

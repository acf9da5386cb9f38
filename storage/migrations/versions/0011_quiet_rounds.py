"""members.quiet_rounds and members.went_quiet_at: rounds notice who has gone quiet

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs, in place on SQLite and PostgreSQL; members made before count no silent
    # rounds and were never paused for going quiet.
    op.add_column(
        'members', sa.Column('quiet_rounds', sa.Integer(), server_default='0', nullable=False)
    )
    op.add_column('members', sa.Column('went_quiet_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('members', 'went_quiet_at')
    op.drop_column('members', 'quiet_rounds')

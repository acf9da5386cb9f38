"""outbox.mentions: which parts of a message are about which member, so that erasing a member
rewrites them by id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: a NOT NULL column with a plain-string default is an ALTER TABLE ADD
    # COLUMN in place on SQLite and PostgreSQL; messages already queued mention nobody.
    op.add_column(
        'outbox', sa.Column('mentions', sa.JSON(), server_default='{}', nullable=False)
    )


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('outbox', 'mentions')

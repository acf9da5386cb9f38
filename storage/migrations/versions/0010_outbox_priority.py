"""outbox.priority and ix_outbox_claim: a concern is claimed ahead of routine messages

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: a NOT NULL column with a plain-string default is an ALTER TABLE ADD
    # COLUMN in place on SQLite and PostgreSQL; messages already queued are routine (1).
    op.add_column(
        'outbox', sa.Column('priority', sa.SmallInteger(), server_default='1', nullable=False)
    )
    # The claim's order (most urgent, then oldest, of one platform's waiting messages), read off
    # the index instead of sorting every waiting row.
    op.create_index(
        'ix_outbox_claim', 'outbox', ['status', 'platform', 'priority', 'id'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_outbox_claim', table_name='outbox')
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('outbox', 'priority')

"""outbox.turn and send_budgets: each workspace takes its turn in the outbox, so one school's
backlog never queues another school's messages behind it; instances share each platform's pace

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on SQLite and PostgreSQL; messages already queued are first in line (0).
    op.add_column('outbox', sa.Column('turn', sa.BigInteger(), server_default='0', nullable=False))
    # The claim's order gains the turn between priority and age.
    op.drop_index('ix_outbox_claim', table_name='outbox')
    op.create_index(
        'ix_outbox_claim', 'outbox', ['status', 'platform', 'priority', 'turn', 'id'], unique=False
    )
    op.create_index(
        'ix_outbox_workspace_turn',
        'outbox',
        ['status', 'platform', 'workspace_id', 'turn'],
        unique=False,
    )


    op.create_table(
        'send_budgets',
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('booked_until', sa.Float(), nullable=True),
        sa.Column('held_until', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('platform'),
    )


def downgrade() -> None:
    op.drop_table('send_budgets')
    op.drop_index('ix_outbox_workspace_turn', table_name='outbox')
    op.drop_index('ix_outbox_claim', table_name='outbox')
    op.create_index(
        'ix_outbox_claim', 'outbox', ['status', 'platform', 'priority', 'id'], unique=False
    )
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('outbox', 'turn')

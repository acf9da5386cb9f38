"""send_budgets keyed by a platform or a key within one (a channel, a method in a workspace, a
route): Slack paces posts per channel and methods per workspace, and a 429 may be for one
route only

Revision ID: 0021
Revises: 0016
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A booking lasts seconds: the table is made anew (on SQLite too) rather than altered.
    op.drop_table('send_budgets')
    op.create_table(
        'send_budgets',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('booked_until', sa.Float(), nullable=True),
        sa.Column('held_until', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('send_budgets')
    op.create_table(
        'send_budgets',
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('booked_until', sa.Float(), nullable=True),
        sa.Column('held_until', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('platform'),
    )

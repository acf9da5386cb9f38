"""checkin_schedules and checkin_pending_digests: the check-in jobs find what is due through
indexes on when it falls due, instead of reading every circle and every check-in each tick

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty: the job's first pass looks at every circle (each is newer than the last scheduled
    # one) and gives each its row.
    op.create_table(
        'checkin_schedules',
        sa.Column('circle_id', sa.Integer(), nullable=False),
        sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('circle_id'),
    )
    op.create_index(
        'ix_checkin_schedules_due_at', 'checkin_schedules', ['due_at'], unique=False
    )
    op.create_table(
        'checkin_pending_digests',
        sa.Column('circle_id', sa.Integer(), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('circle_id', 'period'),
    )
    op.create_index(
        'ix_checkin_pending_digests_due_at', 'checkin_pending_digests', ['due_at'], unique=False
    )
    # Every period with check-ins and no digest yet still has its digest to come.
    op.execute(
        'INSERT INTO checkin_pending_digests (circle_id, period, due_at) '
        'SELECT circle_id, period, MAX(closes_at) FROM checkins AS c '
        'WHERE NOT EXISTS (SELECT 1 FROM checkin_digests AS d '
        'WHERE d.circle_id = c.circle_id AND d.period = c.period) '
        'GROUP BY circle_id, period'
    )


def downgrade() -> None:
    op.drop_index('ix_checkin_pending_digests_due_at', table_name='checkin_pending_digests')
    op.drop_table('checkin_pending_digests')
    op.drop_index('ix_checkin_schedules_due_at', table_name='checkin_schedules')
    op.drop_table('checkin_schedules')

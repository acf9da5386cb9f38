"""goals: goals, goal_notes, goal_sharing

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOLDS_TEXT = sa.text("text <> ''")
OPEN_UNASKED = sa.text("status = 'open' AND asked_at IS NULL AND due_at IS NOT NULL")


def upgrade() -> None:
    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('asked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index('ix_goals_member_status', ['member_id', 'status'], unique=False)
        batch_op.create_index('ix_goals_due_unasked', ['due_at'], unique=False, sqlite_where=OPEN_UNASKED, postgresql_where=OPEN_UNASKED)

    op.create_table('goal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('written_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goal_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_notes_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index('ix_goal_notes_holding_text', ['written_at'], unique=False, sqlite_where=HOLDS_TEXT, postgresql_where=HOLDS_TEXT)

    op.create_table('goal_sharing',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id')
    )


def downgrade() -> None:
    op.drop_table('goal_sharing')
    with op.batch_alter_table('goal_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_notes_holding_text', sqlite_where=HOLDS_TEXT, postgresql_where=HOLDS_TEXT)
        batch_op.drop_index(batch_op.f('ix_goal_notes_goal_id'))
    op.drop_table('goal_notes')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index('ix_goals_due_unasked', sqlite_where=OPEN_UNASKED, postgresql_where=OPEN_UNASKED)
        batch_op.drop_index('ix_goals_member_status')
    op.drop_table('goals')

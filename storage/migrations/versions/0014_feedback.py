"""meeting_ratings: how a meeting went, rated 1-5 by each person of a pairing (feedback)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table: nothing stored before has a rating.
    op.create_table('meeting_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('rated_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('rated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rated_id'], ['members.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rater_id'], ['members.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pairing_id', 'rater_id', 'rated_id')
    )
    with op.batch_alter_table('meeting_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_ratings_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index('ix_meeting_ratings_noted', ['rated_at'], unique=False, sqlite_where=sa.text("note <> ''"), postgresql_where=sa.text("note <> ''"))
        batch_op.create_index(batch_op.f('ix_meeting_ratings_rated_id'), ['rated_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_ratings_rater_id'), ['rater_id'], unique=False)
        batch_op.create_index('ix_meeting_ratings_workspace_rated', ['platform', 'workspace_id', 'rated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_ratings_workspace_rated')
        batch_op.drop_index(batch_op.f('ix_meeting_ratings_rater_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_ratings_rated_id'))
        batch_op.drop_index('ix_meeting_ratings_noted', sqlite_where=sa.text("note <> ''"), postgresql_where=sa.text("note <> ''"))
        batch_op.drop_index(batch_op.f('ix_meeting_ratings_circle_id'))

    op.drop_table('meeting_ratings')

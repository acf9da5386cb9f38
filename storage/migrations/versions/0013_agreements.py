"""agreements, agreement_notes and circles.agreement: the agreement a mentor and a mentee
confirm at the start of a pairing

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, in place on SQLite and PostgreSQL; circles made before have
    # agreements on.
    op.add_column('circles', sa.Column('agreement', sa.Boolean(), server_default='1', nullable=False))
    op.create_table(
        'agreements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pairing_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('pairing_id', 'member_id'),
    )
    op.create_index(op.f('ix_agreements_member_id'), 'agreements', ['member_id'], unique=False)
    op.create_table(
        'agreement_notes',
        sa.Column('pairing_id', sa.Integer(), nullable=False),
        sa.Column('noted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('pairing_id'),
    )
    # Pairings made before agreements existed never had one to confirm: nobody is told of them.
    op.execute('INSERT INTO agreement_notes (pairing_id, noted_at) SELECT id, created_at FROM pairings')


def downgrade() -> None:
    op.drop_table('agreement_notes')
    op.drop_index(op.f('ix_agreements_member_id'), table_name='agreements')
    op.drop_table('agreements')
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('circles', 'agreement')

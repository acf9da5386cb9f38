"""A tick costs only what is due: circles.round_due_at (the round job's next look),
pairings.agreement_checked_at (the agreements note's set-aside pairings), and partial indexes for
/findbuddy's busy members and the outbox's claim and recovery

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on SQLite (>= 3.35) and PostgreSQL: nullable columns, no table copy.
    op.add_column(
        'circles', sa.Column('round_due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )
    op.create_index('ix_circles_round_due', 'circles', ['round_due_at'], unique=False)
    # Every scheduled circle is looked at on the first tick, which then sets its next moment.
    op.execute(
        "UPDATE circles SET round_due_at = COALESCE(schedule_since, created_at) "
        "WHERE cadence <> 'off' AND archived_at IS NULL"
    )

    op.add_column(
        'pairings',
        sa.Column('agreement_checked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    # Pairings already told to the moderators, and those that can never be named (no mentor
    # and mentee), are set aside; the rest are read by the next pass as before.
    op.execute(
        "UPDATE pairings SET agreement_checked_at = ("
        "SELECT noted_at FROM agreement_notes WHERE agreement_notes.pairing_id = pairings.id) "
        "WHERE ended_at IS NULL"
    )
    op.execute(
        "UPDATE pairings SET agreement_checked_at = created_at "
        "WHERE ended_at IS NULL AND agreement_checked_at IS NULL AND ("
        "NOT EXISTS (SELECT 1 FROM pairing_seats s WHERE s.pairing_id = pairings.id "
        "AND s.role = 'mentor') OR "
        "NOT EXISTS (SELECT 1 FROM pairing_seats s WHERE s.pairing_id = pairings.id "
        "AND s.role = 'mentee'))"
    )
    op.create_index(
        'ix_pairings_agreement_unchecked',
        'pairings',
        ['created_at'],
        unique=False,
        sqlite_where=sa.text('ended_at IS NULL AND agreement_checked_at IS NULL'),
        postgresql_where=sa.text('ended_at IS NULL AND agreement_checked_at IS NULL'),
    )
    op.create_index(
        'ix_pairings_open_on_demand',
        'pairings',
        ['platform', 'workspace_id'],
        unique=False,
        sqlite_where=sa.text("kind = 'on-demand' AND ended_at IS NULL"),
        postgresql_where=sa.text("kind = 'on-demand' AND ended_at IS NULL"),
    )

    op.create_index(
        'ix_outbox_pending',
        'outbox',
        ['platform', 'priority', 'turn', 'id'],
        unique=False,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        'ix_outbox_sending',
        'outbox',
        ['claimed_at'],
        unique=False,
        sqlite_where=sa.text("status = 'sending'"),
        postgresql_where=sa.text("status = 'sending'"),
    )


def downgrade() -> None:
    op.drop_index('ix_outbox_sending', table_name='outbox')
    op.drop_index('ix_outbox_pending', table_name='outbox')
    op.drop_index('ix_pairings_open_on_demand', table_name='pairings')
    op.drop_index('ix_pairings_agreement_unchecked', table_name='pairings')
    op.drop_column('pairings', 'agreement_checked_at')
    op.drop_index('ix_circles_round_due', table_name='circles')
    op.drop_column('circles', 'round_due_at')

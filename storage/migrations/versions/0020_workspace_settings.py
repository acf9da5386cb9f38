"""workspace_settings: each workspace's own settings (time zone, kudos rules, retention, mentors
appointed or self-service, moderators appointed in chat) over the config's defaults

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table; every existing workspace keeps the config's defaults (no row).
    op.create_table('workspace_settings',
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('kudos_givers', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('kudos_allowance', sa.Integer(), nullable=True),
    sa.Column('retention_days', sa.Integer(), nullable=True),
    sa.Column('self_service_mentors', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('platform', 'workspace_id')
    )
    op.create_index(
        'ix_workspace_settings_retention',
        'workspace_settings',
        ['retention_days', 'platform', 'workspace_id'],
        unique=False,
    )
    op.create_table('workspace_moderators',
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'workspace_id', 'user_id')
    )


def downgrade() -> None:
    op.drop_table('workspace_moderators')
    op.drop_index('ix_workspace_settings_retention', table_name='workspace_settings')
    op.drop_table('workspace_settings')

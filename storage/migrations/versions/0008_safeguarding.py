"""members.adult, members.buddy_pool: who a moderator marked an adult, and which moderators
asked to be paired

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not in batch mode: `members` is pointed at by memberships, pairings and more, and batch mode
    # would copy it and drop the original. A nullable column and one with a plain-string default
    # ('0' is false on SQLite and PostgreSQL) are each an ALTER TABLE ADD COLUMN in place; nobody
    # is marked yet, and no moderator has asked to be paired.
    op.add_column('members', sa.Column('adult', sa.Boolean(), nullable=True))
    op.add_column('members', sa.Column('buddy_pool', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place.
    op.drop_column('members', 'buddy_pool')
    op.drop_column('members', 'adult')

"""Each workspace in its turn: the outbox's fair order between workspaces.

A platform's waiting messages are claimed most urgent first, then by `turn`, then oldest. A
message's turn is given when it is queued:
- a workspace's messages follow its last waiting message (its own order is kept: first queued,
  first sent);
- a workspace with nothing waiting starts at the lowest turn still waiting on that platform, so
  its messages go out alongside every other workspace's backlog, one turn each, instead of
  behind it: 10,000 prompts queued for one school delay another school's messages by a few of
  their own turns, not by 10,000 sends.
Two commands of one workspace queuing at the same moment may draw the same turns; their
messages then share those turns (and go oldest first), which is as fair. Nothing is locked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.kernel.model import OutboxStatus, Priority
from storage.outbox.tables import OutboxRow

_PENDING = OutboxStatus.PENDING.value


def _lowest_waiting(platform: str, priority: Priority) -> ScalarSelect[Any]:
    """The platform's lowest waiting turn at one priority, read off ix_outbox_claim."""
    return (
        select(col(OutboxRow.turn))
        .where(
            col(OutboxRow.status) == _PENDING,
            col(OutboxRow.platform) == platform,
            col(OutboxRow.priority) == int(priority),
        )
        .order_by(col(OutboxRow.turn))
        .limit(1)
        .scalar_subquery()
    )


def _last_waiting(platform: str, workspace_id: str) -> ScalarSelect[Any]:
    """The workspace's last waiting turn, read off ix_outbox_workspace_turn."""
    return (
        select(col(OutboxRow.turn))
        .where(
            col(OutboxRow.status) == _PENDING,
            col(OutboxRow.platform) == platform,
            col(OutboxRow.workspace_id) == workspace_id,
        )
        .order_by(col(OutboxRow.turn).desc())
        .limit(1)
        .scalar_subquery()
    )


async def first_turn(session: AsyncSession, platform: str, workspace_id: str) -> int:
    """The turn the workspace's next message takes (one round trip, three index seeks)."""
    lowest = [_lowest_waiting(platform, priority) for priority in Priority]
    query = select(_last_waiting(platform, workspace_id), *lowest)
    last, *lows = (await session.execute(query)).one()
    if last is not None:
        return int(last) + 1
    return min((int(low) for low in lows if low is not None), default=0)

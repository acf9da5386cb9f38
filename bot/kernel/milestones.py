"""Milestones recognised by themselves: a member's tenth check-in answered, fifth meeting held
and first kudos received.

Rule: each is recognised once per member, whatever races or retries (the milestone is recorded
with the message, and a second record is refused); counts are of what stands now, so a revoked
kudos or an edited answer does not count twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.kernel.model import Destination, Member, MilestoneKind, OutgoingMessage
from bot.kernel.ports import UnitOfWork

THRESHOLDS = {
    MilestoneKind.TENTH_CHECKIN: 10,
    MilestoneKind.FIFTH_MEETING: 5,
    MilestoneKind.FIRST_KUDOS: 1,
    MilestoneKind.FIRST_GOAL_REACHED: 1,
}
MESSAGES = {
    MilestoneKind.TENTH_CHECKIN: "Milestone: ten check-ins answered. Thank you for keeping at it!",
    MilestoneKind.FIFTH_MEETING: "Milestone: five meetings held with your buddies. Well done!",
    MilestoneKind.FIRST_KUDOS: "Milestone: your first kudos. Someone noticed what you do!",
    MilestoneKind.FIRST_GOAL_REACHED: "Milestone: your first goal reached. Well done!",
}


async def count_of(uow: UnitOfWork, member_id: int, kind: MilestoneKind) -> int:
    if kind is MilestoneKind.TENTH_CHECKIN:
        return await uow.checkins.answered_count(member_id)
    if kind is MilestoneKind.FIFTH_MEETING:
        return await uow.buddies.meetings_held(member_id)
    if kind is MilestoneKind.FIRST_GOAL_REACHED:
        return await uow.goals.reached_count(member_id)
    return await uow.kudos.received_count(member_id)


async def recognise(uow: UnitOfWork, member: Member, kind: MilestoneKind, now: datetime) -> None:
    """Recognise the milestone if the member has just reached it (and never before)."""
    if await count_of(uow, member.id, kind) < THRESHOLDS[kind]:
        return
    if await uow.milestones.reach(member.id, kind, now):
        key = f"milestone:{member.id}:{kind.value}"
        await uow.outbox.add(OutgoingMessage(key, Destination.dm(member.ref), MESSAGES[kind]), now)

"""Who may read a member's goals.

Rule (docs/safeguarding.md, "who sees what"): a member's goals, their texts and progress notes,
are read by
- the member;
- their current mentor and buddies: whoever shares an open pairing with them (a former partner,
  once the pairing ended, no longer does);
- the members of a circle they are in, only while they share their goals (`/goal share on`,
  off by default), and then the goals alone: progress notes stay with the member, their mentor
  and buddies;
and by nobody else: a moderator who is none of these sees how many goals each member has open
and reached (`/goal counts`), never a word of them. Someone else asking is refused with the same
words whether the member has goals or not, or is known here at all.
"""

from __future__ import annotations

from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed
from bot.kernel.model import Member
from bot.kernel.text import neutralise


def refused(who: str) -> NotAllowed:
    """The one refusal, naming nothing about the member's goals."""
    return NotAllowed(
        f"You can't see {neutralise(who, 60)}'s goals: only they, their mentor and buddies, and "
        "their circles when they share them, can."
    )


async def may_read_notes(ctx: Context, owner: Member) -> bool:
    """Whether the acting member may read `owner`'s goals with their progress notes: the
    member, their mentor and buddies."""
    if owner.id == ctx.me.id:
        return True
    return any(
        pairing.is_open and pairing.seat_of(ctx.me.id) is not None
        for pairing in await ctx.uow.buddies.open_pairings_of(owner.id)
    )


async def may_read(ctx: Context, owner: Member) -> bool:
    """Whether the acting member may read `owner`'s goals (the module's rule)."""
    if await may_read_notes(ctx, owner):
        return True
    if not await ctx.uow.goals.shares(owner.id):
        return False
    theirs = await ctx.uow.circles.circle_ids_of(owner.id)
    return bool(theirs & await ctx.uow.circles.circle_ids_of(ctx.me.id))

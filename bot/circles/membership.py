"""Adding someone to a circle, changing their role in it, or making them its facilitator.

Rules: a moderator or facilitator may add anyone known in the workspace, themselves included;
`as facilitator` keeps the person's role and adds the facilitator duty; only a moderator makes
someone who is not a mentor a circle's mentor, unless `[programme] self_service_mentors` (mentors
are appointed by moderators); everyone added or changed is told by DM, but for whoever added
themselves.
"""

from __future__ import annotations

from dataclasses import replace

from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.mentions import Composer
from bot.kernel.mentor_roles import check_may_make_mentor
from bot.kernel.model import (
    Circle,
    CircleRole,
    Destination,
    Member,
    Membership,
    NewMembership,
    OutgoingMessage,
    ProfileRole,
)
from bot.kernel.text import neutralise, typed_mention_of

FACILITATOR = "facilitator"


def default_role(member: Member) -> CircleRole:
    return CircleRole.MENTOR if member.profile.role is ProfileRole.MENTOR else CircleRole.MENTEE


async def add_or_change_member(ctx: Context, circle: Circle, user_id: str, role: str | None) -> str:
    """Add the person or change their place in the circle; returns the reply for the actor."""
    member = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    if member is None:
        who = typed_mention_of(ctx.me.ref.workspace, user_id)
        raise NotFound(f"I don't know {who} here yet. They appear once they have used any command.")
    membership = await ctx.uow.circles.membership(circle.id, member.id)
    new_role = None if role in (None, FACILITATOR) else CircleRole(role)
    if new_role is CircleRole.MENTOR:
        check_may_make_mentor(ctx, member)
    if membership is None:
        membership = await ctx.uow.circles.add_membership(
            NewMembership(
                circle.id,
                member,
                new_role or default_role(member),
                facilitator=role == FACILITATOR,
                joined_at=ctx.now,
            )
        )
    elif (new_role in (None, membership.role)) and (membership.facilitator or role != FACILITATOR):
        raise UserError(
            f"{neutralise(member.display_name, 60)} is already in {circle.name} "
            f"as {_place(membership)}."
        )
    else:
        membership.role = new_role or membership.role
        membership.facilitator = membership.facilitator or role == FACILITATOR
        await ctx.uow.circles.save_membership(membership)
    if member.id != ctx.me.id:
        await _tell_added(ctx, circle, membership)
    return f"{neutralise(member.display_name, 60)} is in {circle.name} as {_place(membership)}."


async def _tell_added(ctx: Context, circle: Circle, membership: Membership) -> None:
    """Who added them (recorded as that person's, for erasure), where and as what."""
    text = Composer()
    text.about(ctx.me.id, neutralise(ctx.me.display_name, 60))
    text.add(
        f" added you to {circle.name} as {_place(membership)}. "
        f"{command_ref(f'/circle info {circle.name}')} shows who is there."
    )
    notice = OutgoingMessage.notice(Destination.dm(membership.member.ref), text.text)
    await ctx.uow.outbox.add(replace(notice, mentions=text.mentions), ctx.now)


def _place(m: Membership) -> str:
    return f"{m.role.value} and facilitator" if m.facilitator else m.role.value

"""Mentors, adults and the buddy pool, as the moderators decide them.

Rules:
- unless `[programme] self_service_mentors`, asking to be a mentor (`/profile set role mentor`,
  or role in the profile form) makes nobody a mentor: the moderators get the request by DM (once
  a day per member, after their quiet hours), the member is told it was sent, and their role
  stays; a moderator may make themselves a mentor, and anyone may step down to student;
- a moderator sets `role` and `adult` for anyone (`/profile set @person role mentor|student`,
  `/profile set @person adult on|off|-`): the person is told by DM (but for a moderator doing it
  for themselves) and it goes in the audit trail; nobody else sets them for another;
- a moderator who makes a mentor a student makes them a mentee in every circle where they were
  a mentor, so nothing pairs them as a mentor any more;
- marking someone an adult ends their open pairings with minors (one made before these rules,
  too), unless the programme allows those (see bot.kernel.safeguarding);
- `adult` is a moderator's mark (a moderator may mark themselves) and `buddy-pool` a moderator's
  choice to be paired; members are told so and nothing changes.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed, NotFound, UserError
from bot.kernel.model import (
    CircleRole,
    Destination,
    Member,
    NewAuditEntry,
    OutgoingMessage,
    ProfileRole,
    RequestStatus,
)
from bot.kernel.moderators import tell_moderators
from bot.kernel.parsing import parse_on_off
from bot.kernel.replies import Reply
from bot.kernel.safeguarding import end_pairings_with_minors
from bot.kernel.text import neutralise, typed_mention, typed_mention_of
from bot.profile.commands import PERSON_FIELDS
from bot.profile.fields import apply_field, is_clearing
from bot.profile.form import ProfileUpdate


def asks_to_mentor(me: Member, role: ProfileRole, self_service: bool) -> bool:
    """Whether setting `role` would make `me` a mentor when only the moderators may do that."""
    return (
        role is ProfileRole.MENTOR
        and me.profile.role is not ProfileRole.MENTOR
        and not me.is_moderator
        and not self_service
    )


async def request_mentoring(ctx: Context) -> str:
    """Send the moderators this member's request to mentor; what the member is told."""
    me = ctx.me
    told = await tell_moderators(
        ctx.uow,
        me.ref.workspace,
        ctx.settings,
        f"mentor-request:{me.id}:{ctx.now.date().isoformat()}",
        f"{me.display_name} asks to be a mentor. Mentors here are appointed by the moderators: "
        f"{command_ref(f'/profile set {typed_mention(me.ref)} role mentor')} appoints them "
        "(and tells them); until then they stay a student. (An adult community lets members "
        f"make themselves mentors: {command_ref('/settings set mentors self-service')}.)",
        ctx.now,
        routine=True,
    )
    if not told:
        return (
            "Mentors here are appointed by the moderators, and there is no moderator yet to ask. "
            "Your role stays student."
        )
    return (
        "Mentors here are appointed by the moderators, so I've sent them your request; one of "
        "them will get back to you. Until then your role stays student."
    )


def keep_role(update: ProfileUpdate, role: ProfileRole) -> ProfileUpdate:
    """The form's update with the role left as it was."""
    profile = copy.deepcopy(update.profile)
    profile.role = role
    changed = tuple(field for field in update.changed if field != "role")
    return replace(update, profile=profile, changed=changed)


async def set_for_someone(ctx: Context, user_id: str, field: str, value: str) -> Reply:
    """A moderator's `/profile set @person role|adult <value>`."""
    if not ctx.is_moderator:
        raise NotAllowed(
            "Only moderators set someone else's role or adult mark. Your own profile: "
            f"{command_ref('/profile set <field> <value>')}."
        )
    field = field.lower()
    if field not in PERSON_FIELDS:
        raise UserError(
            f"For someone else, moderators set role and adult only; {neutralise(field, 30)} and "
            "the rest of a profile are theirs to set."
        )
    member = await _known(ctx, user_id)
    if field == "role":
        return await _appoint(ctx, member, value)
    return await mark_adult(ctx, member, value)


async def set_own_standing(ctx: Context, field: str, value: str) -> Reply:
    """`/profile set adult|buddy-pool <value>` for oneself: for moderators only."""
    if field == "adult":
        if not ctx.is_moderator:
            raise NotAllowed(
                "Only a moderator marks who is an adult; if you should be marked, ask one."
            )
        return await mark_adult(ctx, ctx.me, value)
    if not ctx.is_moderator:
        raise UserError(
            "buddy-pool is for moderators, who are left out of pairing unless they opt in; you "
            f"are in it already ({command_ref('/pause')} takes a break)."
        )
    return await _set_buddy_pool(ctx, parse_on_off(value, "buddy-pool"))


async def _known(ctx: Context, user_id: str) -> Member:
    member = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    if member is None:
        who = typed_mention_of(ctx.me.ref.workspace, user_id)
        raise NotFound(f"I don't know {who} here yet. They appear once they have used any command.")
    return member


async def _appoint(ctx: Context, member: Member, value: str) -> Reply:
    profile = copy.deepcopy(member.profile)
    apply_field(profile, "role", value)
    name = neutralise(member.display_name, 60)
    if profile.role is member.profile.role:
        return Reply(f"{name} is already a {profile.role.value}.")
    member.profile = profile
    await ctx.uow.members.save(member)
    await _audit(ctx, member, f"role {profile.role.value}")
    if profile.role is ProfileRole.MENTOR:
        await _tell(ctx, member, _MADE_MENTOR.format(who=_who(ctx)))
        return Reply(f"{name} is a mentor now.{_told(ctx, member)}")
    circles = await _mentee_everywhere(ctx, member)
    where = f" in {', '.join(circles)}" if circles else ""
    await _tell(ctx, member, f"{_who(ctx)} made you a student again: no longer a mentor{where}.")
    also = f", and a mentee in {', '.join(circles)}" if circles else ""
    return Reply(f"{name} is a student now{also}.{_told(ctx, member)}")


_MADE_MENTOR = (
    f"{{who}} made you a mentor. You can join circles as a mentor "
    f"({command_ref('/circle join <name> as mentor')}), and {command_ref('/findbuddy')} may "
    f"pair you with mentees; {command_ref('/profile set capacity')} says how many at once."
)


async def _mentee_everywhere(ctx: Context, member: Member) -> list[str]:
    """Make the member a mentee wherever they are a mentor; the circles' names."""
    names = []
    for circle_id in sorted(await ctx.uow.circles.circle_ids_of(member.id)):
        membership = await ctx.uow.circles.membership(circle_id, member.id)
        circle = await ctx.uow.circles.get(circle_id)
        if membership and circle and membership.role is CircleRole.MENTOR:
            membership.role = CircleRole.MENTEE
            await ctx.uow.circles.save_membership(membership)
            names.append(circle.name)
    return names


async def mark_adult(ctx: Context, member: Member, value: str) -> Reply:
    """Mark an adult (on), not an adult (off), or neither (`-`: then a moderator counts as an
    adult and anyone else as a minor)."""
    adult = None if is_clearing(value) else parse_on_off(value, "adult")
    name = neutralise(member.display_name, 60)
    if adult == member.adult:
        return Reply(f"{name} is {_ADULT_SHOWN[adult]} already.")
    was_adult = member.is_adult
    member.adult = adult
    await ctx.uow.members.save(member)
    await _audit(ctx, member, f"adult {_ADULT_TYPED[adult]}")
    said = f"{name} is {_ADULT_SHOWN[adult]}: {counted_as(member, ctx)}."
    if member.is_adult and not was_adult:
        marked = f"{_who(ctx)} marked you as an adult: you are {counted_as(member, ctx)}."
        await _tell(ctx, member, marked)
    if member.is_adult:  # a pairing made before the rule (or before the mark) ends too
        ended = await end_pairings_with_minors(ctx.uow, member, ctx.settings, ctx.now)
        if ended:
            said += f" Their open pairings with minors ({len(ended)}) ended; each person was told."
    return Reply(said)


_ADULT_SHOWN = {True: "marked an adult", False: "marked not an adult", None: "not marked"}
_ADULT_TYPED = {True: "on", False: "off", None: "-"}


def counted_as(member: Member, ctx: Context) -> str:
    """How the pairing rules see this member, in a few words."""
    if not member.is_adult:
        return "paired as a minor, never with an adult" + (
            " unless the moderators are copied" if _allowed(ctx) else ""
        )
    if _allowed(ctx):
        return "paired as an adult; when with a minor, the moderators get a copy"
    return "paired as an adult, never with a minor"


def _allowed(ctx: Context) -> bool:
    return ctx.settings.programme.adults_paired_with_minors


async def _set_buddy_pool(ctx: Context, on: bool) -> Reply:
    ctx.me.profile.buddy_pool = on
    await ctx.uow.members.save(ctx.me)
    if on:
        return Reply(
            f"You are in the buddy pool: {command_ref('/findbuddy')} and your circles' rounds may "
            f"pair you ({counted_as(ctx.me, ctx)})."
        )
    request = await ctx.uow.buddies.waiting_of(ctx.me.id)
    left = ""
    if request is not None:
        request.status = RequestStatus.CANCELLED
        await ctx.uow.buddies.save_request(request)
        left = " You have left the buddy queue."
    return Reply(f"You are out of the buddy pool: nothing pairs you.{left}")


def _who(ctx: Context) -> str:
    return neutralise(ctx.me.display_name, 60)


def _told(ctx: Context, member: Member) -> str:
    return "" if member.id == ctx.me.id else " I've told them by DM."


async def _tell(ctx: Context, member: Member, text: str) -> None:
    if member.id != ctx.me.id:
        await ctx.uow.outbox.add(OutgoingMessage.notice(Destination.dm(member.ref), text), ctx.now)


async def _audit(ctx: Context, member: Member, subject: str) -> None:
    await ctx.uow.audit.add(
        NewAuditEntry(
            ctx.me.ref.workspace, ctx.me, "profile.set", subject, "", ctx.now, about=member
        )
    )

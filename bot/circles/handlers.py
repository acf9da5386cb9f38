"""/circle: list, look at, join and leave circles; moderators and facilitators manage them.

Rules:
- adding someone, taking someone out and archiving a circle are in the audit trail;
- moderators can always take over: they join any circle that is not archived (a private one
  too), add themselves, and take anyone out, the last facilitator included;
- a facilitator may leave, the last one too: a circle without facilitators is run by the
  moderators, which the leaver is told, and the moderators too unless one of them did it;
- nobody joins an archived circle, and no reply sends a moderator to ask a moderator.
"""

from __future__ import annotations

import copy

from bot.circles.commands import (
    AddToCircle,
    ArchiveCircle,
    CreateCircle,
    JoinCircle,
    LeaveCircle,
    ListCircles,
    RemoveFromCircle,
    SetCircleOption,
    ShowCircle,
    ShowMyCircles,
    SuggestCircles,
)
from bot.circles.membership import add_or_change_member, default_role
from bot.circles.naming import name_and_topic, reserved_names
from bot.circles.settings import (
    ROUND_TIMING_KEYS,
    SCHEDULE_KEYS,
    SETTING_SETTERS,
    apply_setting,
    first_round_note,
    shown_setting,
)
from bot.circles.views import (
    describe_circle,
    describe_circle_list,
    describe_my_circles,
)
from bot.kernel.checkin_withdrawal import withdraw_circle, withdraw_member
from bot.kernel.circle_access import (
    can_see,
    managed_circle,
    my_membership,
    no_such_circle,
    require_moderator,
    visible_circle,
)
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed, NotFound, UserError
from bot.kernel.mentions import Composer
from bot.kernel.mentor_roles import becoming_a_mentor
from bot.kernel.model import (
    Circle,
    CircleRole,
    Destination,
    Member,
    Membership,
    NewAuditEntry,
    NewCircle,
    NewMembership,
    OutgoingMessage,
    ProfileRole,
)
from bot.kernel.moderators import tell_moderators
from bot.kernel.replies import Reply
from bot.kernel.text import clean_input, neutralise, typed_mention_of
from bot.runtime.handlers import handles

TOPIC_LIMIT = 200


@handles(ListCircles)
async def list_circles(cmd: ListCircles, ctx: Context) -> Reply:
    return Reply(await describe_circle_list(ctx))


@handles(ShowMyCircles)
async def show_my_circles(cmd: ShowMyCircles, ctx: Context) -> Reply:
    return Reply(await describe_my_circles(ctx))


SUGGESTIONS = 25
"""Discord shows at most 25 autocomplete choices."""


@handles(SuggestCircles)
async def suggest_circles(cmd: SuggestCircles, ctx: Context) -> Reply:
    """Open circles the member can see whose name starts with what they typed, then those that
    contain it; never a private circle they are not in, never an archived one."""
    typed = cmd.typed.strip().lower()
    names = [
        c.name
        for c in await ctx.uow.circles.in_workspace(ctx.me.ref.workspace)
        if not c.is_archived and typed in c.name.lower() and await can_see(ctx, c)
    ]
    names.sort(key=lambda name: (not name.lower().startswith(typed), name.lower()))
    return Reply("\n".join(names[:SUGGESTIONS]), choices=tuple(names[:SUGGESTIONS]))


@handles(ShowCircle)
async def show_circle(cmd: ShowCircle, ctx: Context) -> Reply:
    return Reply(await describe_circle(ctx, await visible_circle(ctx, cmd.name)))


@handles(JoinCircle)
async def join_circle(cmd: JoinCircle, ctx: Context) -> Reply:
    circle = await visible_circle(ctx, cmd.name)
    if await my_membership(ctx, circle):
        raise UserError(f"You are already in {circle.name}.")
    _check_open_to(ctx, circle)
    role = cmd.role or default_role(ctx.me)
    if role is CircleRole.MENTOR and ctx.me.profile.role is not ProfileRole.MENTOR:
        raise NotAllowed(f"Only mentors join as mentor. {becoming_a_mentor(ctx.settings)}")
    await ctx.uow.circles.add_membership(NewMembership(circle.id, ctx.me, role, joined_at=ctx.now))
    return Reply(
        f"Welcome to {circle.name}, as {role.value}! "
        f"{command_ref(f'/circle info {circle.name}')} shows who is here."
    )


def _check_open_to(ctx: Context, circle: Circle) -> None:
    """Nobody joins an archived circle; a private one is joined by moderators, others are added
    (outsiders never get here: to them a private circle does not exist)."""
    if circle.is_archived:
        raise UserError(
            f"{circle.name} is archived, so nobody can join it; "
            f"{command_ref('/circle list')} shows the open ones."
        )
    if circle.settings.private and not ctx.is_moderator:
        raise NotAllowed(f"{circle.name} is private; its facilitators can add you.")


@handles(LeaveCircle)
async def leave_circle(cmd: LeaveCircle, ctx: Context) -> Reply:
    """Anyone may leave, the last facilitator too (see `_without_facilitators`)."""
    circle = await visible_circle(ctx, cmd.name)
    membership = await my_membership(ctx, circle)
    if membership is None:
        raise UserError(f"You are not in {circle.name}.")
    await ctx.uow.circles.remove_membership(membership)
    await withdraw_member(ctx.uow, circle.id, ctx.me.id, ctx.now)
    said = await _without_facilitators(ctx, circle, membership)
    return Reply(f"You have left {circle.name}.{said}")


@handles(CreateCircle)
async def create_circle(cmd: CreateCircle, ctx: Context) -> Reply:
    """The name is one word, the topic the rest; a line that reads as one name with spaces in it
    is refused with a name made from it (see `name_and_topic`), never split."""
    require_moderator(ctx, "create circles")
    name, typed_topic = name_and_topic(cmd.name, cmd.topic, reserved_names(ctx.commands))
    if await ctx.uow.circles.get_by_name(ctx.me.ref.workspace, name):
        raise UserError(f"There is already a circle called {name}; choose another name.")
    topic = clean_input(typed_topic)
    if len(topic) > TOPIC_LIMIT:
        raise UserError(f"The topic is {len(topic)} characters; the limit is {TOPIC_LIMIT}.")
    await ctx.uow.circles.add(NewCircle(ctx.me.ref.workspace, name, topic, created_at=ctx.now))
    about = f" (topic: {neutralise(topic, 80)})" if topic else ""
    return Reply(
        f"Created {name}{about}. Next: "
        f"{command_ref(f'/circle add @someone {name} as facilitator')}, and "
        f"{command_ref(f'/circle set {name} channel #{name.lower()}')}."
    )


@handles(AddToCircle)
async def add_to_circle(cmd: AddToCircle, ctx: Context) -> Reply:
    circle = await managed_circle(ctx, cmd.name, "add members")
    said = await add_or_change_member(ctx, circle, cmd.user_id, cmd.role)
    member = await ctx.uow.members.get(ctx.me.ref.workspace.member(cmd.user_id))
    assert member is not None
    await _audit(ctx, "circle.add", circle, f"as {cmd.role}" if cmd.role else "", member)
    return Reply(said)


@handles(RemoveFromCircle)
async def remove_from_circle(cmd: RemoveFromCircle, ctx: Context) -> Reply:
    circle = await managed_circle(ctx, cmd.name, "remove members")
    member = await ctx.uow.members.get(ctx.me.ref.workspace.member(cmd.user_id))
    membership = member and await ctx.uow.circles.membership(circle.id, member.id)
    if not member or not membership:
        who = typed_mention_of(ctx.me.ref.workspace, cmd.user_id)
        raise NotFound(f"{who} is not in {circle.name}.")
    await ctx.uow.circles.remove_membership(membership)
    await withdraw_member(ctx.uow, circle.id, member.id, ctx.now)
    if member.id != ctx.me.id:
        await _tell_removed(ctx, circle, member)
    await _audit(ctx, "circle.remove", circle, "", member)
    said = await _without_facilitators(ctx, circle, membership)
    return Reply(f"Removed {neutralise(member.display_name, 80)} from {circle.name}.{said}")


async def _tell_removed(ctx: Context, circle: Circle, member: Member) -> None:
    """The person taken out is told by DM; a moderator is not sent to ask a moderator."""
    questions = "" if member.is_moderator else " Questions? Ask a moderator."
    await ctx.uow.outbox.add(
        OutgoingMessage.notice(
            Destination.dm(member.ref), f"You are no longer in {circle.name}.{questions}"
        ),
        ctx.now,
    )


@handles(ArchiveCircle)
async def archive_circle(cmd: ArchiveCircle, ctx: Context) -> Reply:
    require_moderator(ctx, "archive circles")
    circle = await managed_circle(ctx, cmd.name, "archive it")
    circle.archived_at = ctx.now
    await ctx.uow.circles.save(circle)
    await withdraw_circle(ctx.uow, circle.id, ctx.now)
    if circle.settings.channel:
        await ctx.uow.outbox.add(
            OutgoingMessage(
                key=f"circle-archived:{circle.id}",
                destination=Destination.channel(circle.workspace, circle.settings.channel),
                text=f"{circle.name} is now archived. Thank you all; its history is kept.",
            ),
            ctx.now,
        )
    await _audit(ctx, "circle.archive", circle)
    return Reply(f"Archived {circle.name}. Its history is kept; nobody can join it now.")


@handles(SetCircleOption)
async def set_circle_option(cmd: SetCircleOption, ctx: Context) -> Reply:
    circle = await _circle_to_set(cmd, ctx)
    settings = copy.deepcopy(circle.settings)
    apply_setting(settings, cmd.key, cmd.value)
    if cmd.key.lower() in SCHEDULE_KEYS:
        circle.schedule_since = ctx.now
    circle.settings = settings
    await ctx.uow.circles.save(circle)
    note = ""
    if cmd.key.lower() in ROUND_TIMING_KEYS:
        note = first_round_note(circle.name, settings, ctx.now, ctx.me, ctx.settings)
    return Reply(
        f"Saved. {circle.name}: {cmd.key.lower()} is now {shown_setting(settings, cmd.key)}.{note}"
    )


async def _circle_to_set(cmd: SetCircleOption, ctx: Context) -> Circle:
    """The circle `/circle set` names. When there is none and the next word is no setting, the
    name was typed with a space in it (`/circle set Study Group! day mon`): the refusal says
    what a name looks like."""
    try:
        return await managed_circle(ctx, cmd.name, "change its settings")
    except NotFound:
        if cmd.key.lower() in SETTING_SETTERS:
            raise
        raise NotFound(no_such_circle(f"{cmd.name} {cmd.key}")) from None


async def _without_facilitators(ctx: Context, circle: Circle, gone: Membership) -> str:
    """When `gone` was the last facilitator of a circle still running, the sentence that says
    the moderators run it now; the moderators are told too, unless a moderator did it.
    Otherwise ""."""
    if circle.is_archived or not gone.facilitator:
        return ""
    if any(m.facilitator for m in await ctx.uow.circles.memberships(circle.id)):
        return ""
    said = f" {circle.name} has no facilitator now, so the moderators run it"
    if ctx.is_moderator:
        return f"{said}. To hand it on: {_hand_on(circle)}"
    text = Composer()
    text.about(gone.member.id, neutralise(gone.member.display_name, 60))
    text.add(
        f" was the last facilitator of {circle.name} and is no longer in it, so the moderators "
        f"run it now. To hand it on: {_hand_on(circle)}"
    )
    told = await tell_moderators(
        ctx.uow,
        ctx.me.ref.workspace,
        ctx.settings,
        f"circle-unfacilitated:{circle.id}:{ctx.now.isoformat()}",
        text.text,
        ctx.now,
        routine=True,
        mentions=text.mentions,
    )
    return f"{said}; they are told." if told else f"{said}."


def _hand_on(circle: Circle) -> str:
    return command_ref(f"/circle add @someone {circle.name} as facilitator")


async def _audit(
    ctx: Context, action: str, circle: Circle, detail: str = "", about: Member | None = None
) -> None:
    await ctx.uow.audit.add(
        NewAuditEntry(
            ctx.me.ref.workspace, ctx.me, action, circle.name, detail, ctx.now, about=about
        )
    )

"""How circles are shown: the list, one circle's page, and its settings in words.

Members who turned `listed` off are left out of what others see; moderators see them, marked.
"""

from __future__ import annotations

from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.model import Cadence, Circle, CircleRole, CircleSettings, Membership
from bot.kernel.text import neutralise


def _rhythm(s: CircleSettings) -> str:
    if s.cadence is Cadence.OFF:
        return "no regular rounds"
    return f"{s.cadence.value} on {s.day} at {s.time} (each member's own time)"


async def describe_circle_list(ctx: Context) -> str:
    mine = await ctx.uow.circles.circle_ids_of(ctx.me.id)
    circles = [
        c
        for c in await ctx.uow.circles.in_workspace(ctx.me.ref.workspace)
        if not c.settings.private or ctx.is_moderator or c.id in mine
    ]
    if not circles:
        hint = (
            f" Create one with {command_ref('/circle create <name>')}." if ctx.is_moderator else ""
        )
        return "There are no circles here yet." + hint
    counts = await ctx.uow.circles.member_counts([c.id for c in circles])
    lines = ["Circles:"]
    for circle in sorted(circles, key=lambda c: (c.is_archived, c.name.lower())):
        marks = [
            m
            for m, on in (
                ("private", circle.settings.private),
                ("archived", circle.is_archived),
                ("you are in it", circle.id in mine),
            )
            if on
        ]
        count = counts.get(circle.id, 0)
        topic = f": {neutralise(circle.topic, 80)}" if circle.topic else ""
        extra = f" ({', '.join(marks)})" if marks else ""
        lines.append(f"  {circle.name}{topic}, {count} member{'s' * (count != 1)}{extra}")
    lines.append(
        f"Join one with {command_ref('/circle join <name>')}; "
        f"see one with {command_ref('/circle info <name>')}."
    )
    return "\n".join(lines)


async def describe_my_circles(ctx: Context) -> str:
    """The member's own circles, open ones first, each with their part in it and its rhythm."""
    mine = await ctx.uow.circles.circle_ids_of(ctx.me.id)
    circles = [c for c in await ctx.uow.circles.in_workspace(ctx.me.ref.workspace) if c.id in mine]
    if not circles:
        return (
            f"You are in no circle yet. {command_ref('/circle list')} shows the circles you can "
            "join."
        )
    lines = ["Your circles:"]
    for circle in sorted(circles, key=lambda c: (c.is_archived, c.name.lower())):
        membership = await ctx.uow.circles.membership(circle.id, ctx.me.id)
        part = _part(membership) if membership else "member"
        archived = " (archived)" if circle.is_archived else ""
        lines.append(f"  {circle.name}{archived}: {part}; {_rhythm(circle.settings)}")
    lines.append(
        f"See one with {command_ref('/circle info <name>')}; "
        f"leave one with {command_ref('/circle leave <name>')}."
    )
    return "\n".join(lines)


def _part(m: Membership) -> str:
    return f"facilitator and {m.role.value}" if m.facilitator else m.role.value


async def describe_circle(ctx: Context, circle: Circle) -> str:
    memberships = await ctx.uow.circles.memberships(circle.id)
    shown = [m for m in memberships if _shown_to(ctx, m)]
    lines = [f"{circle.name}" + (" (archived)" if circle.is_archived else "")]
    if circle.topic:
        lines.append(f"Topic: {neutralise(circle.topic, 200)}")
    lines.append(f"Rhythm: {_rhythm(circle.settings)}")
    lines.append(f"Facilitators: {_facilitators(ctx, memberships, shown)}")
    for title, picked in (
        ("Mentors", [m for m in shown if m.role is CircleRole.MENTOR]),
        ("Mentees", [m for m in shown if m.role is CircleRole.MENTEE]),
    ):
        names = ", ".join(_name(ctx, m) for m in picked) or "none yet"
        lines.append(f"{title}: {names}")
    hidden = len(memberships) - len(shown)
    if hidden:
        lines.append(f"and {hidden} more who keep themselves unlisted")
    return "\n".join(lines)


def _facilitators(ctx: Context, everyone: list[Membership], shown: list[Membership]) -> str:
    """The facilitators' names; a circle with none at all is run by the moderators."""
    if not any(m.facilitator for m in everyone):
        return "none (run by the moderators)"
    return ", ".join(_name(ctx, m) for m in shown if m.facilitator) or "only unlisted ones"


def _shown_to(ctx: Context, m: Membership) -> bool:
    return m.member.profile.listed or ctx.is_moderator or m.member.id == ctx.me.id


def _name(ctx: Context, m: Membership) -> str:
    name = neutralise(m.member.display_name, 60)
    return name if m.member.profile.listed else f"{name} (unlisted)"

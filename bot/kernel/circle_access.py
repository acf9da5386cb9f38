"""Who may see and manage a circle.

Rules:
- a private circle is invisible to everyone but its members and the moderators: to others it
  does not exist, in listings, lookups and error messages alike;
- moderators manage every circle; a facilitator manages the circles they facilitate;
- an archived circle can be looked at but not joined or changed.
"""

from __future__ import annotations

from bot.kernel.circle_names import is_circle_name, not_a_circle_name
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed, NotFound, UserError
from bot.kernel.model import Circle, Membership
from bot.kernel.text import neutralise


async def my_membership(ctx: Context, circle: Circle) -> Membership | None:
    return await ctx.uow.circles.membership(circle.id, ctx.me.id)


async def can_see(ctx: Context, circle: Circle) -> bool:
    if not circle.settings.private or ctx.is_moderator:
        return True
    return await my_membership(ctx, circle) is not None


async def visible_circle(ctx: Context, name: str) -> Circle:
    circle = await ctx.uow.circles.get_by_name(ctx.me.ref.workspace, name)
    if circle is None or not await can_see(ctx, circle):
        raise NotFound(no_such_circle(name))
    return circle


def no_such_circle(typed: str) -> str:
    """There is no circle by that name, as far as this member may know; a typed name that could
    never be one is told what a name looks like."""
    if not is_circle_name(typed):
        return f"{not_a_circle_name(typed)} {command_ref('/circle list')} shows the circles."
    listed = command_ref("/circle list")
    return f"There is no circle called '{neutralise(typed, 50)}'. {listed} shows them."


async def managed_circle(
    ctx: Context, name: str, action: str, *, archived_too: bool = False
) -> Circle:
    """A circle the actor may manage, not archived (unless `archived_too`, for looking);
    otherwise a plain refusal."""
    circle = await visible_circle(ctx, name)
    if not ctx.is_moderator:
        membership = await my_membership(ctx, circle)
        if membership is None or not membership.facilitator:
            raise NotAllowed(f"Only moderators and {circle.name}'s facilitators can {action}.")
    if circle.is_archived and not archived_too:
        raise UserError(f"{circle.name} is archived; it can no longer be changed.")
    return circle


def require_moderator(ctx: Context, action: str) -> None:
    if not ctx.is_moderator:
        raise NotAllowed(f"Only moderators can {action}.")

"""/flag: a private concern, straight to the moderators and nobody else."""

from __future__ import annotations

from bot.checkin_messages import concern_text
from bot.commands import RaiseFlag
from bot.errors import UserError
from bot.handlers import handles
from bot.handlers.checkins import NO_MODERATOR
from bot.handlers.context import Context
from bot.model import Flag
from bot.moderators import tell_moderators
from bot.replies import Reply
from bot.text import clean_input

FLAG_MIN, FLAG_LIMIT = 3, 1000


@handles(RaiseFlag)
async def raise_flag(cmd: RaiseFlag, ctx: Context) -> Reply:
    text = clean_input(cmd.text)
    if not FLAG_MIN <= len(text) <= FLAG_LIMIT:
        raise UserError(
            f"Say what worries you in {FLAG_MIN} to {FLAG_LIMIT} characters; only the "
            "moderators will see it."
        )
    assert ctx.me.id is not None
    circle_ids = sorted(await ctx.uow.circles.circle_ids_of(ctx.me.id))
    circles = [c for c in [await ctx.uow.circles.get(i) for i in circle_ids] if c]
    where = ", ".join(c.name for c in circles) or None
    workspace = ctx.me.ref.workspace
    flag = await ctx.uow.flags.add(
        Flag(workspace, ctx.me, text, ctx.now, circles[0].id if len(circles) == 1 else None)
    )
    told = await tell_moderators(
        ctx.uow,
        workspace,
        ctx.settings,
        f"flag:{flag.id}",
        concern_text(ctx.me, where, text),
        ctx.now,
    )
    if not told:
        return Reply(f"Your concern is saved. {NO_MODERATOR}")
    return Reply("Sent privately to the moderators; nobody else sees it. Thank you for saying.")

"""/blackout: workspace holidays on which no round runs and no check-in is sent.

Rules: moderators only; a blackout is one date or a range of at most a year, not already over
(in the workspace's zone), and does not overlap another; each member's dates are read in their
own calendar, and the cadence simply resumes after.
"""

from __future__ import annotations

from datetime import date

from bot.kernel.circle_access import require_moderator
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.local_time import example_day, workspace_zone
from bot.kernel.model import NewBlackout
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise
from bot.moderation.commands import AddBlackout, ListBlackouts, RemoveBlackout
from bot.runtime.handlers import handles

MAX_DAYS = 366


@handles(AddBlackout)
async def add_blackout(cmd: AddBlackout, ctx: Context) -> Reply:
    require_moderator(ctx, "set blackout dates")
    first = _date(cmd.first, ctx)
    last = _date(cmd.last, ctx) if cmd.last else first
    if last < first:
        raise UserError(f"The range ends before it starts: {_day(first)} to {_day(last)}.")
    if (last - first).days >= MAX_DAYS:
        raise UserError("A blackout lasts at most a year; add long breaks in parts.")
    if last < ctx.now.astimezone(workspace_zone(ctx.settings)).date():
        raise UserError(f"{_day(last)} is already over; give dates from today on.")
    workspace = ctx.me.ref.workspace
    for other in await ctx.uow.blackouts.in_workspace(workspace):
        if other.first <= last and first <= other.last:
            raise UserError(
                f"That overlaps the blackout {_range(other)}; remove it first "
                f"({command_ref(f'/blackout remove {other.first.isoformat()}')}) or choose "
                "other dates."
            )
    await ctx.uow.blackouts.add(NewBlackout(workspace, first, last, ctx.now))
    return Reply(
        f"Blackout set: {_range(NewBlackout(workspace, first, last, ctx.now))}. No rounds and no "
        "check-ins on these dates; everything resumes after."
    )


@handles(ListBlackouts)
async def list_blackouts(cmd: ListBlackouts, ctx: Context) -> Reply:
    require_moderator(ctx, "see the blackout dates")
    blackouts = await ctx.uow.blackouts.in_workspace(ctx.me.ref.workspace)
    if not blackouts:
        start, end = example_day(ctx.now, 30), example_day(ctx.now, 37)
        return Reply(
            f"No blackout dates. {command_ref(f'/blackout add {start} {end}')} sets a holiday."
        )
    return Reply("Blackout dates:\n" + "\n".join(f"• {_range(b)}" for b in blackouts))


@handles(RemoveBlackout)
async def remove_blackout(cmd: RemoveBlackout, ctx: Context) -> Reply:
    require_moderator(ctx, "remove blackout dates")
    day = _date(cmd.day, ctx)
    for blackout in await ctx.uow.blackouts.in_workspace(ctx.me.ref.workspace):
        if blackout.covers(day):
            await ctx.uow.blackouts.remove(blackout.id)
            return Reply(f"Removed the blackout {_range(blackout)}.")
    raise NotFound(f"No blackout includes {_day(day)}. {command_ref('/blackout list')} shows them.")


def _date(text: str, ctx: Context) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"'{neutralise(text, 20)}' is not a date; write it as YYYY-MM-DD, "
            f"e.g. {example_day(ctx.now, 30)}."
        ) from None


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _range(blackout: NewBlackout) -> str:
    if blackout.first == blackout.last:
        return _day(blackout.first)
    return f"{_day(blackout.first)} to {_day(blackout.last)}"

"""Which check-in a member's /checkin is about.

Rules: the first open one not yet answered; else the latest of a circle that closed unanswered
(kept as a late answer, until that circle's next check-in opens); else one they skipped; else one
they answered (to edit it). Answers typed without a form never guess between two such. A
check-in whose window has closed can no longer be changed.
"""

from __future__ import annotations

from bot.kernel.cadence import next_moment
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.local_time import shown, zone_of
from bot.kernel.model import Cadence, Checkin, CheckinStatus
from bot.kernel.text import neutralise


async def current_checkin(
    ctx: Context, circle_name: str | None = None, *, only_one: bool = False
) -> Checkin:
    """Chosen as the module says, and read afresh under a lock, so that answering it and the
    job closing it take turns. With `only_one` (answers typed without a form), two candidates
    alike are refused rather than guessed between."""
    choice = await _choose(ctx, circle_name)
    if only_one and len(choice) > 1:
        names = " and ".join(c.circle.name for c in choice)
        raise UserError(
            f"You have check-ins in {names}. Say which: "
            f"{command_ref(f'/checkin {choice[0].circle.name}')} opens its form."
        )
    return await _fresh(ctx, choice[0])


async def _choose(ctx: Context, circle_name: str | None) -> list[Checkin]:
    """The first non-empty group of equally good candidates."""
    latest = await _latest(ctx, circle_name)
    now = ctx.now
    still_open = [c for c in latest if not c.is_closed(now)]
    for choice in (
        [c for c in still_open if c.status is CheckinStatus.OPEN],
        [
            c
            for c in latest
            if c.is_closed(now) and c.status in (CheckinStatus.OPEN, CheckinStatus.MISSED)
        ],
        [c for c in still_open if c.status is CheckinStatus.SKIPPED],
        still_open,
    ):
        if choice:
            return choice
    raise UserError(nothing_open(ctx, latest))


async def checkin_by_id(ctx: Context, checkin_id: int) -> Checkin:
    """A check-in a form showed: it must be the member's own and still the latest of its circle."""
    latest = {c.id: c for c in await ctx.uow.checkins.latest_of(ctx.me.id)}
    if checkin_id not in latest:
        raise NotFound(
            f"That check-in is no longer open to you. {command_ref('/checkin')} shows the "
            "current one."
        )
    return await _fresh(ctx, latest[checkin_id])


async def unanswered_open(ctx: Context) -> list[Checkin]:
    """The member's open check-ins not yet answered, each read afresh under a lock."""
    fresh = [await _fresh(ctx, c) for c in await ctx.uow.checkins.latest_of(ctx.me.id)]
    return [c for c in fresh if not c.is_closed(ctx.now) and c.status is CheckinStatus.OPEN]


async def _fresh(ctx: Context, checkin: Checkin) -> Checkin:
    fresh = await ctx.uow.checkins.get(checkin.id)
    if fresh is None:  # its circle was deleted a moment ago
        raise NotFound("That check-in no longer exists.")
    return fresh


async def _latest(ctx: Context, circle_name: str | None) -> list[Checkin]:
    latest = await ctx.uow.checkins.latest_of(ctx.me.id)
    if circle_name is None:
        return latest
    mine = [c for c in latest if c.circle.name.lower() == circle_name.lower()]
    if not mine:
        raise NotFound(f"You have no check-ins in '{neutralise(circle_name, 40)}'.")
    return mine


def nothing_open(ctx: Context, latest: list[Checkin]) -> str:
    if not latest:
        return (
            "You have no check-ins. Circles send them to their mentors (or to everyone, if the "
            "circle says so) on the circle's day and time."
        )
    zone = zone_of(ctx.me, ctx.settings)
    upcoming = [
        f"{c.circle.name} on {shown(next_moment(c.circle.settings, ctx.now, zone), zone)}"
        for c in latest
        if c.circle.settings.cadence is not Cadence.OFF and not c.circle.is_archived
    ]
    nxt = f" Next: {'; '.join(upcoming)} (your time)." if upcoming else ""
    return f"Nothing is open to answer now.{nxt}"

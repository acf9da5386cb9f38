"""/round preview and /round run: a circle's pairing round, looked at or run by hand.

Rule: a preview shows each group with what its first member would be told; a run shows only who
is with whom, as everyone, perhaps the one who ran it, has their introduction by DM
(bot.buddies.pairings)."""

from __future__ import annotations

from bot.buddies.commands import PreviewRound, RunRound
from bot.buddies.pairings import explain
from bot.buddies.rounds import RoundPlan, plan_round, run_round
from bot.kernel.circle_access import managed_circle
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.model import Circle
from bot.kernel.replies import Reply
from bot.runtime.handlers import handles

PREVIEW_LINES = 40


@handles(PreviewRound)
async def preview_round(cmd: PreviewRound, ctx: Context) -> Reply:
    plan = await _plan(ctx, await managed_circle(ctx, cmd.name, "preview its rounds"))
    return Reply(
        f"Preview of the {plan.circle.name} round; nothing was sent.\n{_describe(plan, ctx)}"
    )


@handles(RunRound)
async def run_round_now(cmd: RunRound, ctx: Context) -> Reply:
    plan = await _plan(ctx, await managed_circle(ctx, cmd.name, "run its rounds"))
    await run_round(ctx.uow, plan, f"manual:{ctx.now.isoformat()}", ctx.now, ctx.settings)
    return Reply(
        f"Round run for {plan.circle.name}; I've sent everyone an introduction by DM (and whoever "
        f"sits out, why).\n{_describe(plan, ctx, told=False)}"
    )


async def _plan(ctx: Context, circle: Circle) -> RoundPlan:
    if circle.is_archived:
        raise UserError(f"{circle.name} is archived; archived circles have no rounds.")
    plan = await plan_round(ctx.uow, circle, ctx.now, ctx.settings, ctx.solve)
    if not plan.outcome.groups:
        raise UserError(
            f"{circle.name} has nobody to pair: it needs at least two members who are not "
            "paused and not blocked from each other."
        )
    return plan


def _describe(plan: RoundPlan, ctx: Context, told: bool = True) -> str:
    """Each group (with what its first member is told, if `told`), then who sits out or is left
    over."""
    lines = []
    for group in plan.outcome.groups:
        seekers = [plan.seekers[m] for m in group.members]
        names = " + ".join(s.member.display_name for s in seekers)
        if not told:
            lines.append(f"• {names}")
            continue
        reasons = explain(
            plan.pairing_plan(group.members, None), seekers[0], ctx.settings, plan.monday
        )
        lines.append(f"• {names}. {seekers[0].member.display_name} is told: {reasons}")
    shown = lines[:PREVIEW_LINES]
    if len(lines) > PREVIEW_LINES:
        shown.append(f"… and {len(lines) - PREVIEW_LINES} more.")
    for label, ids in (("Sits out", plan.outcome.sat_out), ("Nobody fits", plan.outcome.unmatched)):
        if ids:
            shown.append(f"{label}: {', '.join(plan.seekers[m].member.display_name for m in ids)}")
    return "\n".join(shown)

"""/round preview and /round run: a circle's pairing round, looked at or run by hand.

Rule: a preview shows each group with what its first member would be told; a run shows only who
is with whom, as everyone, perhaps the one who ran it, has their introduction by DM
(bot.buddies.pairings); both then say who is left out and why (bot.buddies.round_roster), and a
round that pairs nobody still runs, so that each person taking part hears why."""

from __future__ import annotations

from bot.buddies.commands import PreviewRound, RunRound
from bot.buddies.pairings import explain
from bot.buddies.round_roster import roster_into
from bot.buddies.rounds import MANUAL, RoundPlan, plan_round, run_round
from bot.kernel.circle_access import managed_circle
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.mentions import Composer
from bot.kernel.model import Circle
from bot.kernel.replies import Reply
from bot.runtime.handlers import handles

PREVIEW_LINES = 40


@handles(PreviewRound)
async def preview_round(cmd: PreviewRound, ctx: Context) -> Reply:
    plan = await _plan(
        ctx, await managed_circle(ctx, cmd.name, "preview its rounds", archived_too=True)
    )
    text = Composer()
    text.add(f"Preview of the {plan.circle.name} round; nothing was sent.")
    text.add(f"\n{_describe(plan, ctx)}" if plan.outcome.groups else " Nobody would be paired.")
    roster_into(text, plan)
    return Reply(text.text)


@handles(RunRound)
async def run_round_now(cmd: RunRound, ctx: Context) -> Reply:
    plan = await _plan(
        ctx, await managed_circle(ctx, cmd.name, "run its rounds", archived_too=True)
    )
    if await run_round(ctx.uow, plan, _manual_period(plan, ctx), ctx.now, ctx.settings) is None:
        raise UserError(
            f"The round of {plan.circle.name} has just run, so nothing more was sent. "
            f"{command_ref(f'/round preview {plan.circle.name}')} shows the next one."
        )
    text = Composer()
    if plan.outcome.groups:
        text.add(
            f"Round run for {plan.circle.name}; I've sent everyone an introduction by DM (and "
            f"whoever sits out, why).\n{_describe(plan, ctx, told=False)}"
        )
    else:
        text.add(
            f"Round run for {plan.circle.name}, but nobody could be paired; I've told each of "
            "them why."
        )
    roster_into(text, plan)
    return Reply(text.text)


def _manual_period(plan: RoundPlan, ctx: Context) -> str:
    """A run by hand is its own period, once per moment and round it follows: the same command
    retried runs nothing twice, a second run after it (even at the same moment, as in the
    console) is a new round."""
    after = max((p.round_id or 0 for p in plan.previous), default=0)
    return f"{MANUAL}{after}:{ctx.now:%Y%m%d%H%M%S}"  # within the period column's 40


async def _plan(ctx: Context, circle: Circle) -> RoundPlan:
    if circle.is_archived:
        raise UserError(f"{circle.name} is archived; archived circles have no rounds.")
    plan = await plan_round(ctx.uow, circle, ctx.now, ctx.settings, ctx.solve)
    if not plan.takes_part:
        text = Composer()
        text.add(
            f"Nobody in {circle.name} takes part in a round now: it has no members who are not "
            f"paused and in the buddy pool. {command_ref('/circle add')} adds people."
        )
        roster_into(text, plan)
        raise UserError(text.text)
    return plan


def _describe(plan: RoundPlan, ctx: Context, told: bool = True) -> str:
    """Each group, with what its first member is told, if `told`."""
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
        told_lines = reasons.replace("\n", "\n    ")  # a group's line per partner, under its pair
        lines.append(f"• {names}. {seekers[0].member.display_name} is told: {told_lines}")
    shown = lines[:PREVIEW_LINES]
    if len(lines) > PREVIEW_LINES:
        shown.append(f"… and {len(lines) - PREVIEW_LINES} more.")
    return "\n".join(shown)

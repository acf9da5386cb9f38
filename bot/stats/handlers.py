"""/stats and /stats export: the programme's last twelve weeks for the people who run it, as a
table with a chart or as a CSV file.

Rules:
- moderators see the whole workspace or any circle; a facilitator sees the circles they
  facilitate, archived ones too, without concerns (not even a count, in the table, the chart or
  the CSV: a facilitator may be a student a concern is about); nobody else sees any;
- a circle's numbers are only what is recorded for it, and no workspace's numbers show another's;
- every look is kept in the audit trail as "stats.read".
"""

from __future__ import annotations

import asyncio

from bot.kernel.circle_access import managed_circle, require_moderator
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.local_time import workspace_zone
from bot.kernel.model import NewAuditEntry
from bot.kernel.replies import Attachment, Reply
from bot.runtime.handlers import handles
from bot.stats.chart import stats_chart
from bot.stats.commands import ExportStats, ShowStats
from bot.stats.csv_file import stats_csv
from bot.stats.figures import WEEKS, ProgrammeStats, programme_stats, reading_since, stats_table
from bot.stats.ports import stats_repository

AUDIT_ACTION = "stats.read"


@handles(ShowStats)
async def show_stats(cmd: ShowStats, ctx: Context) -> Reply:
    stats = await _stats(ctx, cmd.circle, "table and chart")
    chart = await asyncio.to_thread(stats_chart, stats)
    export = command_ref(f"/stats export {stats.circle or ''}")
    return Reply(
        f"{stats_table(stats)}\nThe chart is attached; {export} gives the numbers as a CSV file.",
        files=(Attachment(_file_name(stats, "png"), chart, "image/png"),),
    )


@handles(ExportStats)
async def export_stats(cmd: ExportStats, ctx: Context) -> Reply:
    stats = await _stats(ctx, cmd.circle, "CSV export")
    name = _file_name(stats, "csv")
    return Reply(
        f"The last {WEEKS} weeks of {stats.circle or 'the whole workspace'}, one row per week: "
        f"{name}",
        files=(Attachment(name, stats_csv(stats), "text/csv"),),
    )


async def _stats(ctx: Context, circle_name: str | None, detail: str) -> ProgrammeStats:
    """The numbers the actor may see, recorded in the audit trail as read."""
    if circle_name is None:
        require_moderator(ctx, "see the whole programme's stats")
        circle = None
    else:
        circle = await managed_circle(ctx, circle_name, "see its stats", archived_too=True)
    workspace, zone = ctx.me.ref.workspace, workspace_zone(ctx.settings)
    circle_id = circle.id if circle else None
    since, facts = reading_since(ctx.now, zone), stats_repository(ctx.uow)
    stats = programme_stats(
        circle.name if circle else None,
        zone,
        ctx.now,
        pairings=await facts.pairings_started(workspace, circle_id, since),
        meetings=await facts.first_meetings(workspace, circle_id, since),
        checkins=await facts.checkins(workspace, circle_id, since),
        concerns=await facts.concerns_raised(workspace, circle_id, since)
        if ctx.is_moderator
        else None,
        kudos=await facts.kudos_given(workspace, circle_id, since),
        waiting=await facts.waiting_count(workspace, circle_id, ctx.now),
        unreachable=await facts.unreachable_count(workspace, circle_id),
        ratings=await facts.ratings(workspace, circle_id, since),
    )
    subject = f"circle {circle.name}" if circle else "whole workspace"
    await ctx.uow.audit.add(
        NewAuditEntry(workspace, ctx.me, AUDIT_ACTION, subject, detail, ctx.now)
    )
    return stats


def _file_name(stats: ProgrammeStats, extension: str) -> str:
    return f"stats-{stats.circle or 'workspace'}-{stats.today.isoformat()}.{extension}"

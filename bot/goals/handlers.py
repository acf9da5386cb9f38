"""/goal and its subcommands: add (or its form), list, done, progress, drop, share, counts.

Rules (bot.goals.rules says what a goal may be, bot.goals.visibility who reads it):
- a goal is the member's own; only they change it, by its number in /goal list;
- reaching a goal is said once as a milestone (the first goal reached), and the reply suggests
  thanking their mentor (or whoever helped) with /kudos;
- a refused command changes nothing and says what to type instead.
"""

from __future__ import annotations

from bot.goals.commands import (
    AddGoal,
    DropGoal,
    GoalDone,
    GoalProgress,
    ShareGoals,
    ShowGoalCounts,
    ShowGoals,
)
from bot.goals.form import goal_form
from bot.goals.rules import check_room, checked_note, checked_text, due_day, my_goal
from bot.goals.views import counts_text, goals_text
from bot.goals.visibility import may_read, may_read_notes, refused
from bot.kernel.circle_access import require_moderator, visible_circle
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.goal_checkins import goal_line
from bot.kernel.milestones import recognise
from bot.kernel.model import (
    GoalNote,
    GoalStatus,
    Member,
    MilestoneKind,
    NewAuditEntry,
    NewGoal,
    SeatRole,
)
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise, typed_mention, typed_mention_of
from bot.runtime.handlers import handles


@handles(AddGoal)
async def add_goal(cmd: AddGoal, ctx: Context) -> Reply:
    if not cmd.text.strip() and cmd.by is None and not cmd.from_form:
        return Reply("What is your goal?", form=goal_form())
    text = checked_text(cmd.text)
    due_on, due_at = due_day(cmd.by, ctx) if cmd.by else (None, None)
    goals = await ctx.uow.goals.open_of(ctx.me.id)
    check_room(goals)
    goal = await ctx.uow.goals.add(
        NewGoal(ctx.me.ref.workspace, ctx.me, text, ctx.now, due_on, due_at)
    )
    line = goal_line(goal, len(goals) + 1, ctx.settings, ctx.now)
    return Reply(
        f"Goal set:\n{line}\nYour mentor and buddies can see it; your circles only if you "
        f"share your goals ({command_ref('/goal share on')}). "
        f"{command_ref(f'/goal progress {len(goals) + 1} <note>')} notes how it goes."
    )


@handles(ShowGoals)
async def show_goals(cmd: ShowGoals, ctx: Context) -> Reply:
    owner = ctx.me
    if cmd.user_id is not None and cmd.user_id != ctx.me.ref.user_id:
        found = await ctx.uow.members.get(ctx.me.ref.workspace.member(cmd.user_id))
        if found is None or not await may_read(ctx, found):
            raise refused(typed_mention_of(ctx.me.ref.workspace, cmd.user_id))
        owner = found
    goals = await ctx.uow.goals.open_of(owner.id)
    reached = await ctx.uow.goals.reached_count(owner.id)
    whose = "Your" if owner.id == ctx.me.id else f"{neutralise(owner.display_name, 40)}'s"
    with_notes = await may_read_notes(ctx, owner)
    text = goals_text(goals, reached, ctx.settings, ctx.now, whose, with_notes)
    if owner.id == ctx.me.id and not goals:
        text += f" {command_ref('/goal add <goal> [by <date>]')} sets one."
    return Reply(text)


@handles(GoalDone)
async def goal_done(cmd: GoalDone, ctx: Context) -> Reply:
    _, goal = await my_goal(ctx, cmd.which)
    goal.status, goal.closed_at = GoalStatus.DONE, ctx.now
    await ctx.uow.goals.save(goal)
    await recognise(ctx.uow, ctx.me, MilestoneKind.FIRST_GOAL_REACHED, ctx.now)
    thanks = await _thanks(ctx)
    return Reply(f"Reached: {neutralise(goal.text, 200)}. Well done! {thanks}")


@handles(GoalProgress)
async def goal_progress(cmd: GoalProgress, ctx: Context) -> Reply:
    number, goal = await my_goal(ctx, cmd.which)
    note = checked_note(cmd.note)
    await ctx.uow.goals.add_note(goal.id, GoalNote(note, ctx.now))
    return Reply(f"Noted on goal {number} ({neutralise(goal.text, 60)}): {neutralise(note, 500)}")


@handles(DropGoal)
async def drop_goal(cmd: DropGoal, ctx: Context) -> Reply:
    number, goal = await my_goal(ctx, cmd.which)
    goal.status, goal.closed_at = GoalStatus.DROPPED, ctx.now
    await ctx.uow.goals.save(goal)
    return Reply(
        f"Let go of goal {number}: {neutralise(goal.text, 200)}. "
        f"{command_ref('/goal list')} numbers the others again."
    )


@handles(ShareGoals)
async def share_goals(cmd: ShareGoals, ctx: Context) -> Reply:
    await ctx.uow.goals.set_sharing(ctx.me.id, cmd.shared, ctx.now)
    if cmd.shared:
        return Reply(
            "Your goals are shared: members of your circles can see them (not your progress "
            f"notes) with {command_ref(f'/goal list {typed_mention(ctx.me.ref)}')}. "
            f"{command_ref('/goal share off')} stops it."
        )
    return Reply("Your goals are seen by you, your mentor and your buddies only.")


@handles(ShowGoalCounts)
async def goal_counts(cmd: ShowGoalCounts, ctx: Context) -> Reply:
    require_moderator(ctx, "see how many goals members have")
    if cmd.circle is None:
        counts = await ctx.uow.goals.counts(ctx.me.ref.workspace, None)
        where = "in this workspace"
    else:
        circle = await visible_circle(ctx, cmd.circle)
        ids = [m.member.id for m in await ctx.uow.circles.memberships(circle.id)]
        counts = await ctx.uow.goals.counts(ctx.me.ref.workspace, ids)
        where = f"in {circle.name}"
    members = sorted(
        await ctx.uow.members.by_ids(set(counts)), key=lambda m: m.display_name.lower()
    )
    # How many goals each member has open and reached: a read about members, so audited.
    await ctx.uow.audit.add(
        NewAuditEntry(
            ctx.me.ref.workspace, ctx.me, "goal.counts", where, f"members: {len(members)}", ctx.now
        )
    )
    return Reply(counts_text(where, [(m, *counts[m.id]) for m in members]))


async def _thanks(ctx: Context) -> str:
    """A nudge to thank their mentor (or whoever helped) with kudos."""
    mentors = [
        seat.member
        for pairing in await ctx.uow.buddies.open_pairings_of(ctx.me.id)
        if (mine := pairing.seat_of(ctx.me.id)) is not None and mine.role is SeatRole.MENTEE
        for seat in pairing.seats
        if seat.role is SeatRole.MENTOR
    ]
    if mentors:
        mentor: Member = mentors[0]
        thank = command_ref(f"/kudos {typed_mention(mentor.ref)} <what they did>")
        return f"Did {neutralise(mentor.display_name, 40)} help? Thank them: {thank}"
    return f"Did someone help you get there? Thank them: {command_ref('/kudos @person <reason>')}"

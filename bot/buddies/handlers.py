"""/findbuddy and /buddy: finding a study buddy now, seeing mine, saying whether we met, ending."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.buddies.commands import AnswerMeeting, CancelFindBuddy, EndPairing, FindBuddy, ShowBuddies
from bot.buddies.pairings import (
    PairingPlan,
    ended_for_moderators,
    start_pairing,
    tell_matched,
    why,
)
from bot.buddies.queue import best_waiting, check_subject, seeker
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.endings import end_pairings
from bot.kernel.errors import NotFound, UserError
from bot.kernel.local_time import shown, shown_day, week_start, zone_of
from bot.kernel.meeting_feedback import invite_rating
from bot.kernel.milestones import recognise
from bot.kernel.model import (
    BuddyRequest,
    Connection,
    Destination,
    MeetingAnswer,
    MilestoneKind,
    NewBuddyRequest,
    OutgoingMessage,
    Pairing,
    PairingKind,
    RequestStatus,
)
from bot.kernel.moderators import tell_moderators
from bot.kernel.pairing_start import offer_agreement
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.replies import Reply
from bot.kernel.safeguarding import NOT_IN_POOL, copy_introduction, in_pairing_pool
from bot.kernel.text import clean_input, neutralise, typed_mention, typed_mention_of
from bot.runtime.handlers import handles

END_REASON_LIMIT = 300
THANKS = {
    MeetingAnswer.MET: "Great, thanks for telling me!",
    MeetingAnswer.NOT_YET: "Thanks. I'll ask again in {days} days.",
    MeetingAnswer.COULDNT: f"Thanks for telling me. {command_ref('/findbuddy')} or your circle's "
    f"next round can pair you again; {command_ref('/buddy end {user}')} ends this pairing.",
}


@handles(FindBuddy)
async def find_buddy(cmd: FindBuddy, ctx: Context) -> Reply:
    subject = check_subject(cmd.subject)
    await _check_free_to_seek(ctx)
    request = await best_waiting(ctx, seeker(ctx.me, subject))
    if request is None:
        return await _join_queue(ctx, subject)
    pairing = await _pair_with(ctx, request, subject)
    mine = pairing.seat_of(ctx.me.id)
    assert mine is not None
    return Reply(
        f"You have a study buddy: {pairing.partners_line(mine)}. "
        "I've sent you both an introduction by DM."
    )


@handles(CancelFindBuddy)
async def cancel_find_buddy(cmd: CancelFindBuddy, ctx: Context) -> Reply:
    request = await ctx.uow.buddies.waiting_of(ctx.me.id)
    if request is None:
        raise UserError(f"You are not in the buddy queue. {command_ref('/findbuddy')} joins it.")
    request.status = RequestStatus.CANCELLED
    await ctx.uow.buddies.save_request(request)
    return Reply(
        f"You have left the buddy queue. {command_ref('/findbuddy')} whenever you want to look "
        "again."
    )


@handles(ShowBuddies)
async def show_buddies(cmd: ShowBuddies, ctx: Context) -> Reply:
    zone = zone_of(ctx.me, ctx.settings)
    lines = []
    for pairing in await ctx.uow.buddies.open_pairings_of(ctx.me.id):
        seat = pairing.seat_of(ctx.me.id)
        assert seat is not None
        how = "on demand" if pairing.kind is PairingKind.ON_DEMAND else "circle round"
        lines.append(
            f"• {pairing.partners_line(seat)} ({how}, since {shown(pairing.created_at, zone)}). "
            f"{why(seat)}"
        )
    request = await ctx.uow.buddies.waiting_of(ctx.me.id)
    if request:
        lines.append(f"• You are in the buddy queue until {shown(request.expires_at, zone)}.")
    for kept in await ctx.uow.connections.connections_of(ctx.me.id):
        if not kept.other.is_paused(ctx.now):  # a paused member's connections rest with them
            lines.append(in_touch(kept, zone))
    if not lines:
        return Reply(f"You have no buddy right now. {command_ref('/findbuddy')} finds one.")
    return Reply("Your buddies:\n" + "\n".join(lines))


@handles(AnswerMeeting)
async def answer_meeting(cmd: AnswerMeeting, ctx: Context) -> Reply:
    """Rule: only an open pairing takes answers; one that has ended (by either person, a block or
    the circle's next round) is left exactly as it was. "We met" invites a rating of the meeting,
    by DM (bot.kernel.meeting_feedback)."""
    pairing = await _pairing_with(ctx, cmd.user_id, open_only=True)
    seat = pairing.seat_of(ctx.me.id)
    assert seat is not None
    days = ctx.settings.matching.not_yet_days
    seat.answer, seat.answered_at = cmd.answer, ctx.now
    seat.ask_at = ctx.now + timedelta(days=days) if cmd.answer is MeetingAnswer.NOT_YET else None
    await ctx.uow.buddies.save_pairing(pairing)
    if cmd.answer is MeetingAnswer.MET:
        await recognise(ctx.uow, ctx.me, MilestoneKind.FIFTH_MEETING, ctx.now)
        await invite_rating(ctx.uow, pairing, ctx.me, cmd.user_id, ctx.now)
    user = typed_mention_of(ctx.me.ref.workspace, cmd.user_id)
    return Reply(THANKS[cmd.answer].format(days=days, user=user))


@handles(EndPairing)
async def end_pairing(cmd: EndPairing, ctx: Context) -> Reply:
    reason = clean_input(cmd.reason)
    if len(reason) > END_REASON_LIMIT:
        raise UserError(f"The reason is {len(reason)} characters; the limit is {END_REASON_LIMIT}.")
    pairing = await _pairing_with(ctx, cmd.user_id, open_only=True)
    for other in pairing.others(ctx.me.id):
        await ctx.uow.outbox.add(
            OutgoingMessage(
                f"pairing:{pairing.id}:ended:{other.id}",
                Destination.dm(other.ref),
                f"Your buddy pairing with {ctx.me.display_name} has ended. "
                f"{command_ref('/findbuddy')} finds a new buddy whenever you like.",
            ),
            ctx.now,
        )
    # After the news, so that the question that follows an ending arrives after it.
    await end_pairings(ctx.uow, [pairing], ctx.now, ctx.settings, reason or None, ended_by=ctx.me)
    if not reason:
        return Reply(f"Ended. {command_ref('/findbuddy')} when you want a new buddy.")
    report = ended_for_moderators(ctx.me, pairing, reason)
    told = await tell_moderators(
        ctx.uow,
        ctx.me.ref.workspace,
        ctx.settings,
        f"pairing:{pairing.id}:end-reason",
        report.text,
        ctx.now,
        routine=True,
        mentions=report.mentions,
    )
    where = "sent to the moderators" if told else "kept for the moderators"
    return Reply(
        f"Ended. Your reason is {where} only; your partner is not told it. "
        f"{command_ref('/findbuddy')} when you want a new buddy."
    )


async def _check_free_to_seek(ctx: Context) -> None:
    """In the pairing pool, not paused, not already waiting, not already in an open on-demand
    pairing."""
    if not in_pairing_pool(ctx.me):
        raise UserError(NOT_IN_POOL)
    zone = zone_of(ctx.me, ctx.settings)
    if ctx.me.is_paused(ctx.now) and ctx.me.paused_until:
        raise UserError(
            f"You are paused until {shown(ctx.me.paused_until, zone, ctx.now)}. "
            f"{command_ref('/pause off')} first, then {command_ref('/findbuddy')}."
        )
    await ctx.uow.buddies.lock_queue(ctx.me.ref.workspace)
    if waiting := await ctx.uow.buddies.waiting_of(ctx.me.id):
        raise UserError(
            f"You are already in the buddy queue, until {shown(waiting.expires_at, zone)}. "
            f"I'll message you when someone fits; {command_ref('/findbuddy cancel')} leaves the "
            "queue."
        )
    for pairing in await ctx.uow.buddies.open_pairings_of(ctx.me.id):
        if pairing.kind is PairingKind.ON_DEMAND:
            seat = pairing.seat_of(ctx.me.id)
            assert seat is not None
            handle = typed_mention(pairing.others(ctx.me.id)[0].ref)
            raise UserError(
                f"You already have a study buddy: {pairing.partners_line(seat)}. "
                f"{command_ref(f'/buddy end {handle}')} first if you want a new one."
            )


async def _pair_with(ctx: Context, request: BuddyRequest, subject: str | None) -> Pairing:
    """Pair me with the waiting `request`'s person and introduce us, each once and by DM (see
    bot.buddies.pairings): theirs waits out their quiet hours, as they did not ask just now."""
    request.status = RequestStatus.MATCHED
    await ctx.uow.buddies.save_request(request)
    plan = PairingPlan(
        ctx.me.ref.workspace,
        PairingKind.ON_DEMAND,
        (seeker(ctx.me, subject), seeker(request.member, request.subject)),
        subject=subject or request.subject,
    )
    pairing = await start_pairing(ctx.uow, plan, ctx.now, ctx.settings, week_start(ctx.now))
    await copy_introduction(ctx.uow, pairing, command_ref("/findbuddy"), ctx.settings, ctx.now)
    days = ctx.settings.matching.meeting_check_days
    theirs, mine = pairing.seat_of(request.member.id), pairing.seat_of(ctx.me.id)
    assert theirs is not None
    assert mine is not None
    held = ScheduledMessages(ctx.uow, ctx.settings)
    opening = "Good news: you have a study buddy,"
    await tell_matched(ctx.uow, pairing, theirs, opening, ctx.now, days, held)
    await tell_matched(ctx.uow, pairing, mine, "You have a study buddy:", ctx.now, days)
    await offer_agreement(pairing, None, ctx.settings, ctx.now, held)
    return pairing


async def _join_queue(ctx: Context, subject: str | None) -> Reply:
    expires = ctx.now + timedelta(days=ctx.settings.matching.queue_days)
    await ctx.uow.buddies.add_request(NewBuddyRequest(ctx.me, ctx.now, expires, subject))
    about = f" for {subject}" if subject else ""
    return Reply(
        f"Nobody fits{about} right now, so you are in the buddy queue until "
        f"{shown(expires, zone_of(ctx.me, ctx.settings))} (your time). I'll message you as soon "
        f"as someone fits. {command_ref('/findbuddy cancel')} leaves the queue."
    )


async def _pairing_with(ctx: Context, user_id: str, open_only: bool) -> Pairing:
    other = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    pairing = (
        await ctx.uow.buddies.latest_pairing_between(ctx.me.id, other.id)
        if other and other.id and other.id != ctx.me.id
        else None
    )
    unknown = typed_mention_of(ctx.me.ref.workspace, user_id)
    who = neutralise(other.display_name if other else unknown, 60)
    if pairing is None:
        raise NotFound(
            f"{who} is not your buddy right now. {command_ref('/buddy')} shows your buddies."
        )
    if open_only and pairing.ended_at is not None:
        when = shown_day(pairing.ended_at, zone_of(ctx.me, ctx.settings))
        raise UserError(
            f"Your pairing with {who} ended on {when}, so there is nothing more to answer or end "
            f"there. {command_ref('/buddy')} shows your buddies now."
        )
    return pairing


def in_touch(kept: Connection, zone: ZoneInfo) -> str:
    """A connection kept after a pairing ended (bot.kernel.endings), as /buddy lists it."""
    letgo = command_ref(f"/buddy letgo {typed_mention(kept.other.ref)}")
    since = shown_day(kept.since, zone)
    who = neutralise(kept.other.display_name, 60)
    return f"• In touch with {who} since {since} ({letgo} ends it)."

"""Rating a meeting: which meeting a rating is about, and how the moderators hear of it.

Rules:
- a rating is about a partner of a pairing the member sat in and that someone in it said "we
  met" about (open or ended); named, the partner's latest such pairing; unnamed, the one buddy
  of the member's open pairings they met (with none or several, they are asked to name them);
- never about oneself, nor someone the member never met;
- one rating per rater, pairing and partner: a second replaces the first, and the member is
  told so;
- the moderators, and nobody else, hear of a rating: one of `LOW_SCORE` or less at once, ahead
  of everything routine and whatever their quiet hours, like a concern (never a channel); one
  with a note when their quiet hours and the blackout dates allow; a rating of 3 or more with
  no note only counts. The message names the pair and the circle; the note is recorded as the
  rater's words, so erasing the rater takes it out of the message stored.
"""

from __future__ import annotations

import zlib

from bot.feedback.ports import MetPairing, feedback_repository
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.mentions import Composer
from bot.kernel.model import Destination, Member, OutgoingMessage, Priority
from bot.kernel.model.feedback import HIGHEST_SCORE, LOW_SCORE, LOWEST_SCORE, MeetingRating
from bot.kernel.moderators import moderators_of
from bot.kernel.quiet_hours import first_moment_allowed
from bot.kernel.text import neutralise, typed_mention_of

NOTE_SHOWN = 500
RATE_HOW = command_ref("/feedback 4 @buddy")


def check_score(score: int) -> None:
    if not LOWEST_SCORE <= score <= HIGHEST_SCORE:
        raise UserError(
            f"{score} is not a rating: give a whole number from {LOWEST_SCORE} (badly) to "
            f"{HIGHEST_SCORE} (very well), for example {RATE_HOW}."
        )


async def meeting_to_rate(ctx: Context, user_id: str | None) -> tuple[MetPairing, Member]:
    """The pairing and the partner a rating is about (see the rules above)."""
    met = await feedback_repository(ctx.uow).met_pairings(ctx.me.id)
    if user_id is None:
        return await _the_one_buddy(ctx, met)
    other = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    if other is not None and other.id == ctx.me.id:
        raise UserError(
            "You cannot rate yourself. Rate a buddy you met instead: "
            f"{command_ref('/buddy')} shows your buddies."
        )
    pairing = next((p for p in met if other and other.id in p.partner_ids), None)
    if other is None or pairing is None:
        typed = typed_mention_of(ctx.me.ref.workspace, user_id)
        who = neutralise(other.display_name if other else typed, 60)
        raise NotFound(
            f"You have no meeting with {who} to rate: a rating is for a buddy you met, once "
            f"one of you said so ({command_ref('/buddy met @buddy')}). {command_ref('/buddy')} "
            "shows your buddies."
        )
    return pairing, other


async def _the_one_buddy(ctx: Context, met: list[MetPairing]) -> tuple[MetPairing, Member]:
    current = [(p, partner) for p in met if p.is_open for partner in p.partner_ids]
    if len({partner for _, partner in current}) != 1:
        why = "several buddies you met" if current else "no current buddy you met"
        raise UserError(
            f"You have {why}, so say whom you rate: {RATE_HOW}. {command_ref('/buddy')} shows "
            "your buddies."
        )
    pairing, partner_id = current[0]
    [partner] = await ctx.uow.members.by_ids([partner_id])
    return pairing, partner


async def tell_moderators_of(ctx: Context, rating: MeetingRating, rated: Member) -> int:
    """Tell the moderators of a low rating at once, and of one with a note when they may be
    told (see the rules above); a rating of 3 or more with no note tells nobody. How many
    moderators were told."""
    low = rating.score <= LOW_SCORE
    if not low and not rating.note:
        return 0
    text = await _for_moderators(ctx, rating, rated, low)
    # A changed rating (another score or note) is news even within the same second; the same
    # rating twice (a double click, a retried request) is one message.
    stamp = (
        f"{rating.rated_at:%Y%m%dT%H%M%S}:{zlib.crc32(f'{rating.score}:{rating.note}'.encode())}"
    )
    holidays = [] if low else await ctx.uow.blackouts.in_workspace(ctx.me.ref.workspace)
    moderators = await moderators_of(ctx.uow, ctx.me.ref.workspace, ctx.settings)
    for moderator in moderators:
        allowed = first_moment_allowed(moderator, ctx.now, ctx.settings, holidays)
        at = allowed if not low and allowed > ctx.now else None
        key = f"feedback:{rating.id}:{stamp}:to:{moderator.ref.user_id}"
        priority = Priority.CONCERN if low else Priority.ROUTINE
        await ctx.uow.outbox.add(
            OutgoingMessage(
                key,
                Destination.dm(moderator.ref),
                text.text,
                at,
                mentions=text.mentions,
                priority=priority,
            ),
            ctx.now,
        )
    return len(moderators)


async def _for_moderators(
    ctx: Context, rating: MeetingRating, rated: Member, low: bool
) -> Composer:
    circle = await ctx.uow.circles.get(rating.circle_id) if rating.circle_id else None
    where = f"in {circle.name}" if circle else "(an on-demand pairing)"
    text = Composer()
    text.add("A low rating of a meeting " if low else "A rating of a meeting ")
    text.add(f"{where}, for the moderators only: ")
    text.about(ctx.me.id, neutralise(ctx.me.display_name, 60))
    text.add(" rated their meeting with ")
    text.about(rated.id, neutralise(rated.display_name, 60))
    text.add(f" {rating.score} of {HIGHEST_SCORE}.")
    if low:
        text.add(" You may want to check in with them.")
    if rating.note:
        text.add(" Their note: ")
        text.about(ctx.me.id, neutralise(rating.note, NOTE_SHOWN), instead="(erased)")
    return text

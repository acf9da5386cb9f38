"""/feedback: rating a meeting with a buddy, for the moderators only; /feedback mine: my own
average, once enough different people rated me that no single rating can be traced back.

Rules (the rating's in bot.feedback.rating):
- the rating is 1 to 5 and the note at most NOTE_LIMIT characters; anything else is refused
  with what to do, and nothing is stored or sent;
- nobody but the moderators sees a rating or a note: not the rated buddy, not the circle; with
  no moderator set up, a low rating is kept and the member is told to speak to someone directly;
- a member sees ratings about them only as an average of all of them, and only once at least
  MIN_RATERS different people gave them; before that they are told how many more people are
  needed (never who rated, or how).
"""

from __future__ import annotations

from bot.feedback.commands import NOTE_LIMIT, RateMeeting, ShowMyFeedback
from bot.feedback.ports import feedback_repository
from bot.feedback.rating import check_score, meeting_to_rate, tell_moderators_of
from bot.kernel.command_refs import command_ref
from bot.kernel.concerns import NO_MODERATOR
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.model.feedback import (
    HIGHEST_SCORE,
    LOW_SCORE,
    MIN_RATERS,
    NewMeetingRating,
    average_shown,
)
from bot.kernel.replies import Reply
from bot.kernel.text import clean_input, neutralise
from bot.runtime.handlers import handles

PRIVATE = "Only the moderators see it; {name} never does, nor does anyone else."


@handles(RateMeeting)
async def rate_meeting(cmd: RateMeeting, ctx: Context) -> Reply:
    check_score(cmd.score)
    note = clean_input(cmd.note)
    if len(note) > NOTE_LIMIT:
        raise UserError(
            f"The note is {len(note)} characters; the limit is {NOTE_LIMIT}. Nothing is saved: "
            f"shorten it, or {command_ref('/flag')} tells the moderators something longer."
        )
    pairing, partner = await meeting_to_rate(ctx, cmd.user_id)
    ratings, name = feedback_repository(ctx.uow), neutralise(partner.display_name, 60)
    earlier = await ratings.rating_of(pairing.pairing_id, ctx.me.id, partner.id)
    if earlier is None:
        rating = await ratings.add(
            NewMeetingRating(
                ctx.me.ref.workspace,
                pairing.pairing_id,
                ctx.me.id,
                partner.id,
                cmd.score,
                ctx.now,
                note,
                pairing.circle_id,
            )
        )
        again = ""
    else:
        again = f" It replaces your earlier rating of {earlier.score} (one per meeting)."
        earlier.score, earlier.note, earlier.rated_at = cmd.score, note, ctx.now
        await ratings.save(earlier)
        rating = earlier
    told = await tell_moderators_of(ctx, rating, partner)
    nobody = f" {NO_MODERATOR}" if cmd.score <= LOW_SCORE and not told else ""
    return Reply(
        f"Thanks: your rating of {cmd.score} of {HIGHEST_SCORE} for your meeting with {name} is "
        f"saved{' with your note' if note else ''}.{again} {PRIVATE.format(name=name)}{nobody}"
    )


@handles(ShowMyFeedback)
async def show_my_feedback(cmd: ShowMyFeedback, ctx: Context) -> Reply:
    rated = await feedback_repository(ctx.uow).ratings_about(ctx.me.id)
    raters = {r.rater_id for r in rated}
    average = average_shown([r.score for r in rated], raters)
    if average is None:
        more = MIN_RATERS - len(raters)
        people = "person" if more == 1 else "people"
        return Reply(
            f"Your average shows once {MIN_RATERS} different people have rated meetings with "
            f"you, so that no one rating can be traced back: {more} more {people} to go."
        )
    return Reply(
        f"Your meetings are rated {average:.1f} of {HIGHEST_SCORE} on average, by "
        f"{len(raters)} different people. Who rated what, and their notes, are for the "
        "moderators only."
    )

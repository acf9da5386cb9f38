"""The invitation to rate a meeting, sent to whoever says "we met" (`/buddy met` or the *We
met* button): a DM saying how, with the five ratings as buttons.

It lives in the kernel because the buddies feature sends it and the feedback feature answers
it, and features never import each other. Rules: one invitation per person and pairing, however
often they say "we met" (its key); it goes at once, as the member has just spoken to the bot;
the text alone says how to answer by typing (the console has no buttons); each button runs
`/feedback <n> <@partner>` for whoever presses it; the invitation says that the rating and note
are for the moderators only. A DM rather than buttons under the reply: a button's reply takes
the place of the message it was under on Slack and Discord, without buttons."""

from __future__ import annotations

from datetime import datetime

from bot.kernel.command_refs import command_ref
from bot.kernel.model import Action, Destination, Member, OutgoingMessage, Pairing
from bot.kernel.model.feedback import HIGHEST_SCORE, LOWEST_SCORE
from bot.kernel.ports import UnitOfWork
from bot.kernel.text import typed_mention_of


def rating_invitation(member: Member, partner_user_id: str) -> tuple[str, tuple[Action, ...]]:
    """The text inviting `member` to rate the meeting with that partner, and its buttons."""
    handle = typed_mention_of(member.ref.workspace, partner_user_id)
    text = (
        f"How did it go? Rate it from {LOWEST_SCORE} (badly) to {HIGHEST_SCORE} (very well), "
        f"with a note if you like: {command_ref(f'/feedback 4 {handle} we worked on fractions')}. "
        "Only the moderators see your rating and note; your buddy never does."
    )
    mention = f"<@{partner_user_id}>"
    buttons = tuple(
        Action(str(n), f"/feedback {n} {mention}") for n in range(LOWEST_SCORE, HIGHEST_SCORE + 1)
    )
    return text, buttons


async def invite_rating(
    uow: UnitOfWork, pairing: Pairing, member: Member, partner_user_id: str, now: datetime
) -> None:
    """Queue the invitation for `member`, once per pairing."""
    text, buttons = rating_invitation(member, partner_user_id)
    key = f"pairing:{pairing.id}:rate:{member.id}"
    await uow.outbox.add(
        OutgoingMessage(key, Destination.dm(member.ref), text, actions=buttons), now
    )

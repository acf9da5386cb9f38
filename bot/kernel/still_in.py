"""The one "still in?" question, asked by check-ins (missed in a row) and by rounds (no word about
meeting in a row), answered by `/checkin stay` or its button.

Rules: a member has at most one "still in?" pending, whoever asked it; it waits out their quiet
hours and holidays and is keyed by the moment it goes, so a retried or doubled job asks once;
nobody paused is asked (their pause already keeps everything away). Unanswered it pauses them
(bot.checkins.jobs).
"""

from __future__ import annotations

from datetime import datetime

from bot.kernel.model import Action, Destination, Member, OutgoingMessage
from bot.kernel.quiet_hours import ScheduledMessages

STILL_IN_ACTIONS = (Action("I'm still in", "/checkin stay", "primary"),)


async def ask_still_in(
    scheduled: ScheduledMessages, member: Member, text: str, now: datetime
) -> bool:
    """Queue "still in?" for `member` with `text` and note when it goes, unless one is pending
    or they are paused; whether it was asked. The caller saves the member."""
    if member.still_in_asked_at is not None or member.is_paused(now):
        return False
    at = await scheduled.first_moment(member, now)
    member.still_in_asked_at = at
    key = f"still-in:{member.id}:{at.isoformat()}"
    message = OutgoingMessage(key, Destination.dm(member.ref), text, at, STILL_IN_ACTIONS)
    await scheduled.queue(member, message, now)
    return True

"""Rounds that notice who has gone quiet.

Rules: when a round ends a pairing, it counts as silent for each member who was asked "did you
meet?" and said nothing while no partner said they met (a pairing ended before the question went
out counts for nothing); any answer, or a partner's "we met", starts the run again, and a round
they were not paired in leaves it as it was. The run is the member's, across their circles.
`QUIET_ROUNDS` silent rounds in a row leave them out of the next round and bring one "still in?",
the same question check-ins ask and answered the same way; unanswered, it pauses them and tells
the moderators (bot.checkins.jobs). Their partners are never counted for it: whoever answered,
even "we couldn't", is not silent.
"""

from __future__ import annotations

from bot.kernel.command_refs import command_ref
from bot.kernel.model import MeetingAnswer, Member, Pairing

QUIET_ROUNDS = 2


def quiet_rounds_after(member: Member, ending: Pairing | None) -> int:
    """How many silent rounds in a row `member` has once `ending`, their pairing of the round
    that is ending (None if they were not paired in it), ends."""
    seat = ending.seat_of(member.id) if ending is not None else None
    if ending is None or seat is None:
        return member.quiet_rounds
    partner_met = any(
        s.answer is MeetingAnswer.MET for s in ending.seats if s.member.id != member.id
    )
    if seat.answer is None and seat.ask_at is not None:
        return member.quiet_rounds  # never asked "did you meet?" yet: nothing to hold against
    return member.quiet_rounds + 1 if seat.answer is None and not partner_met else 0


def still_in_after_rounds(circle_name: str, rounds: int) -> str:
    """The "still in?" of a member left out of a round for going quiet."""
    return (
        f"You have not said whether you met your buddy in your last {rounds} pairing rounds, so I "
        f"have left you out of this one in {circle_name}: nobody should wait for someone who is "
        f"not coming. Are you still in? {command_ref('/checkin stay')} puts you back in the next "
        "round. If I hear nothing in a few days I will pause your pairings and check-ins; "
        f"{command_ref('/pause off')} brings you back whenever you like."
    )

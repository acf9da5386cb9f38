"""Why nobody in a round fits someone, said to them and to the moderators.

Rules: a reason names only what may be said about the person: that they are the only one taking
part, that they are a mentor with no room for another mentee, that every mentor taking part is
full, or that the programme keeps adults and students apart. Anything else, blocks (whoever made
them) and partners all taken alike, is "no fit this round", so that nobody, moderators included,
can tell a block from a full round. Every reason to the member comes with what to do next, and
never sends them to a particular person (a facilitator may be the one who was blocked).
"""

from __future__ import annotations

from enum import Enum

from bot.kernel.command_refs import command_ref
from bot.matching import Candidate, Problem


class Unfit(Enum):
    """Why nobody fits, strongest first (the first that applies is the one given)."""

    ALONE = "the only one taking part"
    NO_ROOM = "a mentor with no room for another mentee"
    MENTORS_FULL = "every mentor taking part is full"
    ADULTS_APART = "adults and students are kept apart"
    NO_FIT = "no fit this round"


def why_unfit(problem: Problem, member_id: int) -> Unfit:
    """The reason nobody was put with `member_id` in the round `problem` describes: a rule that
    keeps them from everyone else taking part, the strongest first, or NO_FIT."""
    me = next(c for c in problem.candidates if c.id == member_id)
    others = [c for c in problem.candidates if c.id != member_id]
    if not others:
        return Unfit.ALONE
    found = {_forbids(problem, me, other) for other in others}
    if None in found:  # someone it may not say why (a block, or already in a pair)
        return Unfit.NO_FIT
    return next(reason for reason in Unfit if reason in found)


def _forbids(problem: Problem, me: Candidate, other: Candidate) -> Unfit | None:
    """The rule that may be said and keeps the two apart, or None (a block is never said)."""
    if me.is_mentor and not other.is_mentor and me.mentee_room <= 0:
        return Unfit.NO_ROOM
    if other.is_mentor and not me.is_mentor and other.mentee_room <= 0:
        return Unfit.MENTORS_FULL
    if not problem.adults_with_minors and me.is_adult != other.is_adult:
        return Unfit.ADULTS_APART
    return None


def told_unfit(circle_name: str, reason: Unfit) -> str:
    """What someone nobody fits is told: why, in words they may hear, and what to do."""
    findbuddy = command_ref("/findbuddy")
    if reason is Unfit.ALONE:
        return (
            f"You are the only one taking part in {circle_name} this round, so there is nobody to "
            f"pair you with. {findbuddy} looks across the whole workspace; the next round pairs "
            "you once others take part."
        )
    why = {
        Unfit.NO_ROOM: "you already have as many mentees as you can take, and no other mentor "
        f"took part. Your mentees come first; {command_ref('/profile set capacity')} takes "
        "another if you have the time.",
        Unfit.MENTORS_FULL: "every mentor taking part already has as many mentees as they can "
        f"take. {findbuddy} finds a study buddy across the whole workspace, or ask a moderator "
        "for a mentor with room.",
        Unfit.ADULTS_APART: "the programme keeps adults and students apart, and nobody else "
        "taking part is on your side of that rule. A moderator can help you find someone.",
        Unfit.NO_FIT: "there was no fit for you among those taking part. "
        f"{findbuddy} looks across the whole workspace now, or ask a moderator.",
    }[reason]
    return f"Nobody in {circle_name} could be paired with you this round: {why}"

"""Members as matching candidates, and why two of them were put together, in the reader's words.

Rules: subjects and languages compare without case; a mentor's room is their capacity (or the
default) minus the mentees they already have; whether someone is an adult is `Member.is_adult`
(the matcher keeps adults and minors apart unless the programme allows it); reasons name at
most three things, strongest first, with shared free time in the reader's own time zone.

A round reads thousands of profiles that share a handful of zones, hours and subject lists, so
each folded list is worked out once and kept (as `free_slots` keeps each week's slots): building
a round of 10,000 candidates took half a second of the event loop without that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from bot.buddies.free_time import free_slots, local_hours
from bot.kernel.local_time import zone_of
from bot.kernel.model import Member
from bot.kernel.settings import CoreSettings
from bot.matching import Candidate
from bot.matching.problem import MIN_OVERLAP_SLOTS

MAX_REASONS = 3


@dataclass(frozen=True)
class Seeker:
    """A member as the matcher sees them, with what this match is about."""

    member: Member
    is_mentor: bool = False
    wants: str | None = None


@lru_cache(maxsize=4096)
def folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.casefold() for w in words)


def as_candidate(
    seeker: Seeker, settings: CoreSettings, monday: datetime, mentees: int = 0, sit_outs: int = 0
) -> Candidate:
    member, profile = seeker.member, seeker.member.profile
    capacity = profile.capacity or settings.matching.mentor_capacity
    return Candidate(
        id=member.id,
        is_mentor=seeker.is_mentor,
        stage=profile.stage,
        subjects=folded(profile.subjects),
        languages=folded(profile.languages),
        free_slots=free_slots(profile.hours, zone_of(member, settings), monday),
        wants=seeker.wants,
        mentee_room=capacity - mentees,
        sit_outs=sit_outs,
        is_adult=member.is_adult,
    )


def reasons(
    reader: Seeker,
    partner: Seeker,
    settings: CoreSettings,
    monday: datetime,
    repeat: bool = False,
) -> list[str]:
    """Why `reader` was put with `partner`, strongest first, as the reader would say it."""
    name = partner.member.display_name
    asked = {reader.wants, partner.wants} - {None}
    found = [
        _asked_for(reader, partner, name),
        _shared(reader.member.profile.subjects, partner.member.profile.subjects, "study", asked),
        _shared_time(reader, partner, settings, monday),
        _stage(reader, partner, name),
        _shared(reader.member.profile.languages, partner.member.profile.languages, "speak"),
        None if repeat else "you have not been paired recently",
    ]
    chosen = [r for r in found if r][:MAX_REASONS]
    return chosen or ["you were both free to be paired"]


def _asked_for(reader: Seeker, partner: Seeker, name: str) -> str | None:
    mine, theirs = reader.wants, partner.wants
    if mine and mine == theirs:
        return f"you both asked for {mine}"
    if mine and mine in folded(partner.member.profile.subjects):
        return f"you asked for {mine} and {name} studies it"
    if theirs and theirs in folded(reader.member.profile.subjects):
        return f"{name} asked for {theirs}, which you study"
    return None


def _shared(
    mine: tuple[str, ...], theirs: tuple[str, ...], verb: str, said: set[str | None] | None = None
) -> str | None:
    """What both have in common, leaving out what another reason already said."""
    common = sorted(folded(mine) & folded(theirs) - (said or set()))
    if not common:
        return None
    listed = common[0] if len(common) == 1 else ", ".join(common[:-1]) + " and " + common[-1]
    return f"you both {verb} {listed}"


def _shared_time(
    reader: Seeker, partner: Seeker, settings: CoreSettings, monday: datetime
) -> str | None:
    mine = zone_of(reader.member, settings)
    shared = free_slots(reader.member.profile.hours, mine, monday) & free_slots(
        partner.member.profile.hours, zone_of(partner.member, settings), monday
    )
    if len(shared) < MIN_OVERLAP_SLOTS:
        return None
    ranges = str(local_hours(shared, mine, monday)).split("; ")
    shown = "; ".join(ranges[:2]) + ("; …" if len(ranges) > 2 else "")
    return f"you are both free {_capitalised_days(shown)} your time"


def _capitalised_days(text: str) -> str:
    return re.sub(r"\b(mon|tue|wed|thu|fri|sat|sun)\b", lambda m: m.group(1).capitalize(), text)


def _stage(reader: Seeker, partner: Seeker, name: str) -> str | None:
    mine, theirs = reader.member.profile.stage, partner.member.profile.stage
    if not mine or not theirs:
        return None
    if reader.is_mentor == partner.is_mentor:
        return f"you are both at stage {mine}" if mine == theirs else None
    if not (mine.isdecimal() and theirs.isdecimal()):
        return None
    ahead = int(theirs) - int(mine) if partner.is_mentor else int(mine) - int(theirs)
    if ahead < 1:
        return None
    stages = "a stage" if ahead == 1 else f"{ahead} stages"
    return f"{name} is a mentor {stages} ahead" if partner.is_mentor else f"you are {stages} ahead"

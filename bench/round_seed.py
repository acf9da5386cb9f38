"""A workspace with one big circle on a weekly round, seeded through the storage's own
repositories (the way tests/support/seeding.py seeds its check-in circle), for bench.round_load.

Deterministic from a seed: members in eight time zones (as bench.population draws them), each with a
stage, one to three subjects drawn by popularity, languages and a few free evenings written as
/profile set hours would store them; about one in ten is a mentor. The circle's round falls at
`ROUND_AT` (a Monday 08:00 UTC); it and its members were made a week and a day before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import ManualClock
from bot.kernel.model import (
    Cadence,
    CircleRole,
    CircleSettings,
    MeetingAnswer,
    MemberRef,
    NewCircle,
    NewMember,
    NewMembership,
    Profile,
    ProfileRole,
    WorkspaceRef,
)
from bot.kernel.weekly_hours import WeeklyHours
from storage.buddies.repository import SqlBuddyRepository
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.worker_process import PINNED

PLATFORM = "console"
WORKSPACE = "bench"
ROUND_AT = PINNED  # Monday 2 March 2026, 08:00 UTC
CHUNK = 1_000
MENTOR_SHARE = 0.10
ANSWERED_SHARE = 0.85
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = (  # (zone, share, a language spoken there besides English)
    ("Europe/London", 0.15, "fr"),
    ("Europe/Berlin", 0.18, "de"),
    ("America/New_York", 0.20, "es"),
    ("America/Chicago", 0.09, "es"),
    ("America/Los_Angeles", 0.10, "zh"),
    ("Asia/Kolkata", 0.12, "hi"),
    ("Asia/Singapore", 0.09, "zh"),
    ("Australia/Sydney", 0.07, "ar"),
)
SUBJECTS = {  # subject: relative popularity
    "Mathematics": 14.0,
    "English": 10.0,
    "Computer Science": 9.0,
    "Biology": 8.0,
    "Chemistry": 7.0,
    "Physics": 7.0,
    "Economics": 6.0,
    "History": 5.0,
    "Psychology": 5.0,
    "Statistics": 4.0,
    "Spanish": 3.0,
    "French": 3.0,
    "Geography": 3.0,
    "Literature": 2.5,
    "Music": 1.0,
    "Art": 1.0,
}


@dataclass(frozen=True)
class SeededCircle:
    circle_id: int
    members: int
    mentors: int


def profile(rng: random.Random) -> Profile:
    """One member's profile: zone, stage, subjects, languages and two to five free evenings."""
    zone, _, local = rng.choices(ZONES, weights=[share for _, share, _ in ZONES])[0]
    names, weights = list(SUBJECTS), list(SUBJECTS.values())
    subjects = sorted(set(rng.choices(names, weights=weights, k=rng.choice((1, 2, 2, 3)))))
    languages = {"en"} if rng.random() < 0.85 else {local, *(("en",) * (rng.random() < 0.5))}
    evenings = sorted(rng.sample(range(5), rng.randint(2, 5)))
    start = rng.randint(16, 19)
    hours = f"{','.join(DAY_NAMES[d] for d in evenings)} {start:02d}:00-{start + 2:02d}:30"
    if rng.random() < 0.5:
        hours += f"; {rng.choice(('sat', 'sun'))} 10:00-13:00"
    is_mentor = rng.random() < MENTOR_SHARE
    return Profile(
        role=ProfileRole.MENTOR if is_mentor else ProfileRole.STUDENT,
        timezone=zone,
        stage=str(rng.randint(3, 10) if is_mentor else rng.randint(1, 8)),
        subjects=tuple(subjects),
        languages=tuple(sorted(languages)),
        hours=WeeklyHours.parse(hours),
        capacity=rng.randint(1, 3) if is_mentor else None,
    )


async def seed_circle(url: str, members: int, seed: int = 2026) -> SeededCircle:
    """A circle of `members` with profiles, its weekly round due at ROUND_AT."""
    before = ROUND_AT - timedelta(days=8)
    engine = create_engine(url)
    rng = random.Random(f"round-load:{seed}:{members}")
    mentors = 0
    try:
        await upgrade(engine)
        uows = SqlUnitOfWorkFactory(engine, ManualClock(before))
        async with uows() as uow:
            settings = CircleSettings(
                cadence=Cadence.WEEKLY, day="mon", time=f"{ROUND_AT:%H:%M}", channel="C-round"
            )
            circle = await uow.circles.add(
                NewCircle(
                    WorkspaceRef(PLATFORM, WORKSPACE),
                    "everyone",
                    settings=settings,
                    created_at=before,
                    schedule_since=before,
                )
            )
            await uow.commit()
        for first in range(0, members, CHUNK):
            async with uows() as uow:
                for n in range(first, min(first + CHUNK, members)):
                    drawn = profile(rng)
                    mentors += drawn.role is ProfileRole.MENTOR
                    ref = MemberRef(PLATFORM, WORKSPACE, f"c{n}")
                    member = await uow.members.add(NewMember(ref, f"Member {n}", profile=drawn))
                    role = (
                        CircleRole.MENTOR if drawn.role is ProfileRole.MENTOR else CircleRole.MENTEE
                    )
                    await uow.circles.add_membership(
                        NewMembership(circle.id, member, role, joined_at=before)
                    )
                await uow.commit()
    finally:
        await engine.dispose()
    return SeededCircle(circle.id, members, mentors)


async def answer_meetings(engine: AsyncEngine, circle_id: int, now: datetime) -> int:
    """Most pairs of the circle's open round (ANSWERED_SHARE) say they met, as members do with
    the "did you meet?" button; the rest say nothing. How many pairings answered."""
    rng = random.Random(f"answers:{circle_id}:{now.isoformat()}")
    async with SqlUnitOfWorkFactory(engine, ManualClock(now))() as uow:
        answered = [
            p
            for p in await uow.buddies.open_round_pairings(circle_id)
            if rng.random() < ANSWERED_SHARE
        ]
        for pairing in answered:
            for seat in pairing.seats:
                seat.answer, seat.answered_at, seat.ask_at = MeetingAnswer.MET, now, None
        if isinstance(uow.buddies, SqlBuddyRepository):  # the bench may look behind the port
            await uow.buddies.save_pairings(answered)  # all at once
        else:
            for pairing in answered:
                await uow.buddies.save_pairing(pairing)
        await uow.commit()
    return len(answered)

"""A generated programme that looks like a real one, deterministic from its shape's seed: people in
the shape's time zones with subjects, languages, stages and free hours, mentors with room or none,
blocks and the pairs of earlier rounds. `bench/shapes.py` holds the shapes the benchmark draws."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.matching.problem import (
    SLOT_MINUTES,
    SLOTS_PER_WEEK,
    Candidate,
    Problem,
    pair_key,
)

# The week the free hours are read in: no zone used changes its clock in it (the week of
# 2026-03-02 would end on the United States' switch to summer time).
REFERENCE_MONDAY = datetime(2026, 2, 23)  # local dates
WEEK_START_UTC = datetime(2026, 2, 23, tzinfo=UTC)  # slot 0
Span = tuple[int, int]  # an inclusive range to draw from


@dataclass(frozen=True)
class Zone:
    """A time zone, its share of people and the languages spoken there besides English."""

    name: str
    share: float
    local_languages: tuple[str, ...]


@dataclass(frozen=True)
class Hours:
    """When people are free, in local half-hours of the day: `days` weekdays (how many), each a
    window starting in `start` and `length` half-hours long; with `weekend` chance one or two
    weekend windows; `untold` of people have not told us their hours."""

    days: Span = (2, 5)
    start: Span = (32, 40)
    length: Span = (2, 6)
    weekend: float = 0.7
    weekend_start: Span = (18, 36)
    weekend_length: Span = (2, 8)
    untold: float = 0.05


@dataclass(frozen=True)
class Shape:
    """How one kind of programme is drawn. Stages are labels in order; a mentor is drawn 0-3
    stages ahead of where a mentee would be. `english` is the chance one's first language is
    English (else one of their zone's). `wants` is the share of mentees asking for a subject."""

    name: str
    seed: int
    summary: str
    zones: tuple[Zone, ...]
    subjects: tuple[tuple[str, float], ...]  # (subject, relative popularity)
    stages: tuple[str, ...]
    stage_weights: tuple[float, ...]  # of a mentee's stage, over the first stages
    hours: Hours = Hours()
    subject_counts: tuple[int, ...] = (1, 1, 2, 2, 2, 3)
    mentor_share: float = 0.10
    roomless_share: float = 0.15
    wants: float = 0.25
    english: float = 0.85
    blocking: float = 0.02
    history_rounds: int = 6


def generate(n: int, shape: Shape) -> Problem:
    """A programme of `n` people of this shape with its rounds of history and block lists; the
    same `n` and shape always give the same programme."""
    rng = random.Random(f"{shape.seed}:{n}")
    ids = rng.sample(range(100_000, 100_000 + 20 * n), n)
    people = tuple(_person(rng, person_id, shape) for person_id in ids)
    recent = _history(rng, people, shape)
    blocked = _blocks(rng, people, recent, shape.blocking)
    return Problem(
        candidates=people, blocked=blocked, recent=recent, trio_for_odd=False, seed=shape.seed
    )


def _person(rng: random.Random, person_id: int, shape: Shape) -> Candidate:
    """Mentors are usually 1-3 stages ahead, most with room for 1-3 mentees; some mentees ask for
    a subject, mostly one they study."""
    is_mentor = rng.random() < shape.mentor_share
    zone = rng.choices(shape.zones, weights=[z.share for z in shape.zones])[0]
    subjects = _subjects(rng, shape, rng.choice(shape.subject_counts))
    stage = rng.choices(range(len(shape.stage_weights)), weights=shape.stage_weights)[0]
    if is_mentor:
        ahead = rng.choices((0, 1, 2, 3), weights=(1, 4, 3, 2))[0]
        stage = min(len(shape.stages) - 1, stage + ahead)
    wants = None
    if not is_mentor and rng.random() < shape.wants:
        wants = (
            rng.choice(sorted(subjects)) if rng.random() < 0.6 else _subjects(rng, shape, 1).pop()
        )
    room = 0 if rng.random() < shape.roomless_share else rng.randint(1, 3)
    return Candidate(
        id=person_id,
        is_mentor=is_mentor,
        stage=shape.stages[stage],
        subjects=frozenset(subjects),
        languages=_languages(rng, zone, shape.english),
        free_slots=_free_slots(rng, ZoneInfo(zone.name), shape.hours),
        wants=wants,
        mentee_room=room if is_mentor else 0,
        sit_outs=rng.randint(0, 2),
    )


def _subjects(rng: random.Random, shape: Shape, count: int) -> set[str]:
    """`count` distinct subjects, drawn by popularity."""
    names, weights = zip(*shape.subjects, strict=True)
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights=weights)[0])
    return chosen


def _languages(rng: random.Random, zone: Zone, english: float) -> frozenset[str]:
    """Most speak English; some speak a language of their zone instead or as well."""
    local = zone.local_languages or ("en",)
    first = "en" if rng.random() < english else rng.choice(local)
    languages = {first}
    if rng.random() < 0.3:
        languages.add(rng.choice(("en", *local)))
    return frozenset(languages)


def _free_slots(rng: random.Random, zone: ZoneInfo, hours: Hours) -> frozenset[int]:
    """Some weekday windows and maybe weekend ones, in local time, as UTC slots."""
    if rng.random() < hours.untold:
        return frozenset()
    windows = [
        (day, rng.randint(*hours.start), rng.randint(*hours.length))  # (day, start, length)
        for day in rng.sample(range(5), rng.randint(*hours.days))
    ]
    if rng.random() < hours.weekend:
        for day in rng.sample((5, 6), rng.randint(1, 2)):
            windows.append(
                (day, rng.randint(*hours.weekend_start), rng.randint(*hours.weekend_length))
            )
    slots: set[int] = set()
    for day, start, length in windows:
        for half_hour in range(start, start + length):
            slots.add(_utc_slot(zone, day, half_hour))
    return frozenset(slots)


def _utc_slot(zone: ZoneInfo, day: int, half_hour: int) -> int:
    """The UTC slot of the week for a local day (0 = Monday) and half-hour of that day (a zone
    a quarter-hour off lands in the half-hour it starts in)."""
    local = (REFERENCE_MONDAY + timedelta(days=day, minutes=SLOT_MINUTES * half_hour)).replace(
        tzinfo=zone
    )
    minutes = (local.astimezone(UTC) - WEEK_START_UTC) // timedelta(minutes=SLOT_MINUTES)
    return int(minutes) % SLOTS_PER_WEEK


def _history(
    rng: random.Random, people: tuple[Candidate, ...], shape: Shape
) -> frozenset[tuple[int, int]]:
    """Earlier rounds: each ~90% of people took part, paired loosely by their most popular
    subject (neighbours in a noisy subject order), so earlier partners are often good partners."""
    rank = {name: i for i, (name, _) in enumerate(shape.subjects)}
    recent: set[tuple[int, int]] = set()
    for _ in range(shape.history_rounds):
        present = [c for c in people if rng.random() < 0.9]
        present.sort(key=lambda c: min(rank[s] for s in c.subjects) + rng.uniform(0, 4))
        for a, b in zip(present[::2], present[1::2], strict=False):
            recent.add(pair_key(a.id, b.id))
    return frozenset(recent)


def _blocks(
    rng: random.Random,
    people: tuple[Candidate, ...],
    recent: frozenset[tuple[int, int]],
    share: float,
) -> frozenset[tuple[int, int]]:
    """`share` of people block 1-3 others: half of the time someone they met, else anyone."""
    met: dict[int, list[int]] = {}
    for a, b in sorted(recent):
        met.setdefault(a, []).append(b)
        met.setdefault(b, []).append(a)
    ids = [c.id for c in people]
    blocked: set[tuple[int, int]] = set()
    for blocker in rng.sample(ids, max(1, round(share * len(ids)))):
        for _ in range(rng.randint(1, 3)):
            pool = met.get(blocker, []) if rng.random() < 0.5 else ids
            other = rng.choice(pool or ids)
            if other != blocker:
                blocked.add(pair_key(blocker, other))
    return frozenset(blocked)

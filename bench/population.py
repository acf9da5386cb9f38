"""A generated programme that looks like a real one, deterministic from a seed: people in eight
time zones with subjects, languages, free hours, mentors with room or none, a few blocks and
the pairs of earlier rounds."""

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

SEED = 2026
MENTOR_SHARE = 0.10
ROOMLESS_MENTOR_SHARE = 0.15
BLOCKING_SHARE = 0.02
HISTORY_ROUNDS = 6
# The week the free hours are read in: no zone below changes its clock in it (the week of
# 2026-03-02 would end on the United States' switch to summer time).
REFERENCE_MONDAY = datetime(2026, 2, 23)  # local dates
WEEK_START_UTC = datetime(2026, 2, 23, tzinfo=UTC)  # slot 0
SUBJECTS: tuple[tuple[str, float], ...] = (  # (subject, relative popularity)
    ("Mathematics", 14.0),
    ("English", 10.0),
    ("Computer Science", 9.0),
    ("Biology", 8.0),
    ("Chemistry", 7.0),
    ("Physics", 7.0),
    ("Economics", 6.0),
    ("History", 5.0),
    ("Psychology", 5.0),
    ("Statistics", 4.0),
    ("Business Studies", 4.0),
    ("Spanish", 3.0),
    ("French", 3.0),
    ("Geography", 3.0),
    ("Literature", 2.5),
    ("Engineering", 2.5),
    ("Medicine", 2.0),
    ("Law", 2.0),
    ("Philosophy", 2.0),
    ("Sociology", 1.5),
    ("Political Science", 1.5),
    ("German", 1.0),
    ("Art", 1.0),
    ("Music", 1.0),
    ("Environmental Science", 1.0),
    ("Accounting", 1.0),
)


@dataclass(frozen=True)
class Zone:
    """A time zone, its share of people and the languages spoken there besides English."""

    name: str
    share: float
    local_languages: tuple[str, ...]


ZONES: tuple[Zone, ...] = (
    Zone("Europe/London", 0.15, ("fr", "es", "ar")),
    Zone("Europe/Berlin", 0.18, ("de", "fr", "ar")),
    Zone("America/New_York", 0.20, ("es", "zh", "fr")),
    Zone("America/Chicago", 0.09, ("es",)),
    Zone("America/Los_Angeles", 0.10, ("es", "zh")),
    Zone("Asia/Kolkata", 0.12, ()),
    Zone("Asia/Singapore", 0.09, ("zh",)),
    Zone("Australia/Sydney", 0.07, ("zh", "ar")),
)


# --- the generator -------------------------------------------------------------------------------


def generate(n: int, seed: int = SEED) -> Problem:
    """A programme of `n` people with six rounds of history and a few block lists; the same `n`
    and `seed` always give the same programme."""
    rng = random.Random(f"{seed}:{n}")
    ids = rng.sample(range(100_000, 100_000 + 20 * n), n)
    people = tuple(_person(rng, person_id) for person_id in ids)
    recent = _history(rng, people)
    blocked = _blocks(rng, people, recent)
    return Problem(candidates=people, blocked=blocked, recent=recent, trio_for_odd=False)


def _person(rng: random.Random, person_id: int) -> Candidate:
    """Mentors are ~10%, usually 1-3 stages ahead, most with room for 1-3 mentees; a quarter of
    the others ask for a subject, mostly one they study."""
    is_mentor = rng.random() < MENTOR_SHARE
    zone = rng.choices(ZONES, weights=[z.share for z in ZONES])[0]
    subjects = _subjects(rng, rng.choice((1, 1, 2, 2, 2, 3)))
    stage = rng.choices(range(1, 11), weights=(6, 8, 9, 9, 9, 8, 8, 7, 6, 5))[0]
    if is_mentor:
        stage = min(12, stage + rng.choices((0, 1, 2, 3), weights=(1, 4, 3, 2))[0])
    wants = None
    if not is_mentor and rng.random() < 0.25:
        wants = rng.choice(sorted(subjects)) if rng.random() < 0.6 else _subjects(rng, 1).pop()
    room = 0 if rng.random() < ROOMLESS_MENTOR_SHARE else rng.randint(1, 3)
    return Candidate(
        id=person_id,
        is_mentor=is_mentor,
        stage=str(stage),
        subjects=frozenset(subjects),
        languages=_languages(rng, zone),
        free_slots=_free_slots(rng, ZoneInfo(zone.name)),
        wants=wants,
        mentee_room=room if is_mentor else 0,
        sit_outs=rng.randint(0, 2),
    )


def _subjects(rng: random.Random, count: int) -> set[str]:
    """`count` distinct subjects, drawn by popularity."""
    names, weights = zip(*SUBJECTS, strict=True)
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights=weights)[0])
    return chosen


def _languages(rng: random.Random, zone: Zone) -> frozenset[str]:
    """Most speak English; some speak a language of their zone instead or as well."""
    local = zone.local_languages or ("en",)
    first = "en" if rng.random() < 0.85 else rng.choice(local)
    languages = {first}
    if rng.random() < 0.3:
        languages.add(rng.choice(("en", *local)))
    return frozenset(languages)


def _free_slots(rng: random.Random, zone: ZoneInfo) -> frozenset[int]:
    """Two to five weekday evenings and maybe a weekend afternoon, in local time, as UTC slots.
    One person in twenty has not told us their hours."""
    if rng.random() < 0.05:
        return frozenset()
    windows = [
        (day, rng.randint(32, 40), rng.randint(2, 6))  # (day, start half-hour, length)
        for day in rng.sample(range(5), rng.randint(2, 5))
    ]
    if rng.random() < 0.7:
        for day in rng.sample((5, 6), rng.randint(1, 2)):
            windows.append((day, rng.randint(18, 36), rng.randint(2, 8)))
    slots: set[int] = set()
    for day, start, length in windows:
        for half_hour in range(start, start + length):
            slots.add(_utc_slot(zone, day, half_hour))
    return frozenset(slots)


def _utc_slot(zone: ZoneInfo, day: int, half_hour: int) -> int:
    """The UTC slot of the week for a local day (0 = Monday) and half-hour of that day."""
    local = (REFERENCE_MONDAY + timedelta(days=day, minutes=SLOT_MINUTES * half_hour)).replace(
        tzinfo=zone
    )
    minutes = (local.astimezone(UTC) - WEEK_START_UTC) // timedelta(minutes=SLOT_MINUTES)
    return int(minutes) % SLOTS_PER_WEEK


def _history(rng: random.Random, people: tuple[Candidate, ...]) -> frozenset[tuple[int, int]]:
    """Six earlier rounds: each ~90% of people took part, paired loosely by their most popular
    subject (neighbours in a noisy subject order), so earlier partners are often good partners."""
    rank = {name: i for i, (name, _) in enumerate(SUBJECTS)}
    recent: set[tuple[int, int]] = set()
    for _ in range(HISTORY_ROUNDS):
        present = [c for c in people if rng.random() < 0.9]
        present.sort(key=lambda c: min(rank[s] for s in c.subjects) + rng.uniform(0, 4))
        for a, b in zip(present[::2], present[1::2], strict=False):
            recent.add(pair_key(a.id, b.id))
    return frozenset(recent)


def _blocks(
    rng: random.Random, people: tuple[Candidate, ...], recent: frozenset[tuple[int, int]]
) -> frozenset[tuple[int, int]]:
    """2% of people block 1-3 others: half of the time someone they met, else anyone."""
    met: dict[int, list[int]] = {}
    for a, b in sorted(recent):
        met.setdefault(a, []).append(b)
        met.setdefault(b, []).append(a)
    ids = [c.id for c in people]
    blocked: set[tuple[int, int]] = set()
    for blocker in rng.sample(ids, max(1, round(BLOCKING_SHARE * len(ids)))):
        for _ in range(rng.randint(1, 3)):
            pool = met.get(blocker, []) if rng.random() < 0.5 else ids
            other = rng.choice(pool or ids)
            if other != blocker:
                blocked.add(pair_key(blocker, other))
    return frozenset(blocked)

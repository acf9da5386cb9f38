"""The matching problem's input and output, in plain values."""

from __future__ import annotations

from dataclasses import dataclass, field

SLOT_MINUTES = 30
SLOTS_PER_WEEK = 7 * 24 * 60 // SLOT_MINUTES
MIN_OVERLAP_SLOTS = 2  # one hour


@dataclass(frozen=True)
class Weights:
    """How much each preference is worth. Every allowed pair scores at least `base`, so pairing
    someone always beats leaving them out; `fresh` is earned by not having been together in the
    last rounds."""

    base: float = 2.0
    fresh: float = 6.0
    requested_subject: float = 5.0
    shared_subject: float = 3.0
    stage: float = 2.0
    overlap: float = 3.0
    language: float = 1.0

    @property
    def most(self) -> float:
        return (
            self.base
            + self.fresh
            + self.requested_subject
            + self.shared_subject
            + self.stage
            + self.overlap
            + self.language
        )


@dataclass(frozen=True)
class Candidate:
    """One person who may be matched. `free_slots` are half-hour slots of the week in UTC
    (0 = Monday 00:00 UTC), already converted from the person's own time zone.
    `mentee_room` is how many more mentees a mentor may take; ignored for others.
    `is_adult`: an adult is put with a minor only where the problem allows it."""

    id: int
    is_mentor: bool = False
    stage: str | None = None
    subjects: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    free_slots: frozenset[int] = frozenset()
    wants: str | None = None
    mentee_room: int = 0
    sit_outs: int = 0
    is_adult: bool = False

    @property
    def stage_number(self) -> float | None:
        try:
            return float(self.stage) if self.stage is not None else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Problem:
    """`blocked` and `recent` hold unordered pairs of candidate ids as (smaller, larger).
    Unless `adults_with_minors`, no pair, trio or group puts an adult with a minor."""

    candidates: tuple[Candidate, ...]
    blocked: frozenset[tuple[int, int]] = frozenset()
    recent: frozenset[tuple[int, int]] = frozenset()
    group_size: int = 2
    trio_for_odd: bool = True
    weights: Weights = field(default_factory=Weights)
    adults_with_minors: bool = False
    seed: int = 0
    neighbours: int = 20
    """How many best candidates per person the sparse graph keeps."""


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Group:
    members: tuple[int, ...]
    weight: float


@dataclass(frozen=True)
class Outcome:
    """`sat_out`: left out by the odd-number rule, in turn. `unmatched`: nobody allowed fits them.
    `upper_bound`: no matching of these people can weigh more (from the assignment relaxation),
    or None where it was not computed."""

    groups: tuple[Group, ...]
    sat_out: tuple[int, ...] = ()
    unmatched: tuple[int, ...] = ()
    upper_bound: float | None = None

    @property
    def weight(self) -> float:
        return sum(group.weight for group in self.groups)

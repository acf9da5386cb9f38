"""How well two people fit.

One formula, `pair_weights`, scores every pair the programme ever judges: the solver's graph, a
trio's extra member, the on-demand queue and the benchmark's exact yardstick. A weight of 0 or less
means a hard rule forbids the pair: the same person, a block, a mentor with no room, or an adult
with a minor where the problem does not allow it (so no pair, trio or group ever holds one).
`shortlist` only decides which pairs are worth scoring when there are too many to score them all;
it never decides a weight (where adults and minors may not meet, it lists people on the same side
first, so that an adult's shortlist holds the pairs that are allowed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from bot.matching.problem import MIN_OVERLAP_SLOTS, SLOTS_PER_WEEK, Problem

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Bits = npt.NDArray[np.uint64]
NOT_ALLOWED = -1.0
COARSE_SLOTS = 4 * 2  # the shortlist reads free time in four-hour blocks
SHORTLIST_SAMPLE = 8  # the shortlist's threshold is read off every eighth column
TIE_JITTER = 1e-3  # far below any difference between real weights


class Features:
    """The candidates as arrays, one row per person in the order of `problem.candidates`: sets as
    bit masks for exact scoring, and a small dense vector per person for the shortlist."""

    def __init__(self, problem: Problem) -> None:
        people = problem.candidates
        self.problem = problem
        self.ids = np.array([c.id for c in people], dtype=np.int64)
        self.index = {c.id: i for i, c in enumerate(people)}
        subjects = _vocabulary(s for c in people for s in (*c.subjects, *filter(None, [c.wants])))
        languages = _vocabulary(lang for c in people for lang in c.languages)
        stages = _vocabulary(c.stage for c in people if c.stage is not None)
        self.subject_count, self.language_count = len(subjects), len(languages)
        self.subjects = _bits([[subjects[s] for s in c.subjects] for c in people], len(subjects))
        self.languages = _bits(
            [[languages[x] for x in c.languages] for c in people], len(languages)
        )
        self.slots = _bits([sorted(c.free_slots) for c in people], SLOTS_PER_WEEK)
        self.wants = np.array([subjects[c.wants] if c.wants else -1 for c in people])
        self.stage_label = np.array([stages[c.stage] if c.stage else -1 for c in people])
        self.stage_number = np.array(
            [np.nan if c.stage_number is None else c.stage_number for c in people]
        )
        self.mentor = np.array([c.is_mentor for c in people], dtype=bool)
        self.room = np.array([c.mentee_room for c in people])
        self.adult = np.array([c.is_adult for c in people], dtype=bool)
        self.keep_apart = (
            not problem.adults_with_minors and bool(self.adult.any()) and not bool(self.adult.all())
        )
        """Adults and minors are both here and may not be put together."""
        self.blocked = _pair_codes(problem.blocked, self.index)
        self.recent = _pair_codes(problem.recent, self.index)
        self.anyone_wants = bool((self.wants >= 0).any())
        self._dense: tuple[FloatArray, FloatArray] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def dense(self) -> tuple[FloatArray, FloatArray]:
        """Each person as two short vectors whose dot products (left of one, right of the other)
        approximate the weight: the right one carries each part's weight; a subject asked for
        meets the other's subjects through the same block; free time is compared by the cosine
        of four-hour blocks; where adults and minors are kept apart, being on the same side is
        worth more than all the rest, and a mentor with no room and a mentee lose more than all
        the rest."""
        if self._dense is None:
            w = self.problem.weights
            time = _coarse_time(_unpack(self.slots, SLOTS_PER_WEEK))
            norms = np.linalg.norm(time, axis=1, keepdims=True)
            time = np.divide(time, norms, where=norms > 0, out=time)
            subjects = _unpack(self.subjects, self.subject_count)
            wants = _one_hot(self.wants, width=self.subject_count)
            languages = _unpack(self.languages, self.language_count)
            stages = _one_hot(self.stage_label)
            asked = w.requested_subject / 2  # the two directions usually hold together
            left = [subjects, wants, languages, stages, time]
            right = [
                w.shared_subject * subjects + asked * wants,
                asked * subjects,
                w.language * languages,
                w.stage * stages,
                w.overlap * time,
            ]
            if self.keep_apart:  # the same side outranks anything the other side offers
                side = _one_hot(self.adult.astype(np.int64), 2)
                left.append(side)
                right.append(2 * w.most * side)
            full, mentee = self.mentor & (self.room <= 0), ~self.mentor
            if full.any() and mentee.any():  # a full mentor and a mentee rank below anyone
                left.append(np.stack([full, mentee], axis=1).astype(np.float32))
                right.append(-2 * w.most * np.stack([mentee, full], axis=1).astype(np.float32))
            self._dense = (
                np.hstack(left).astype(np.float32),
                np.hstack(right).astype(np.float32),
            )
        return self._dense


def pair_weights(f: Features, a: IntArray, b: IntArray) -> FloatArray:
    """The weight of each pair (a[i], b[i]) of candidate indices."""
    w = f.problem.weights
    score = np.full(len(a), w.base + w.fresh, dtype=np.float32)
    score += w.shared_subject * _share_any(f.subjects, a, b)
    score += w.language * _share_any(f.languages, a, b)
    shared_slots = np.bitwise_count(f.slots[a] & f.slots[b]).sum(axis=1)
    score += w.overlap * (shared_slots >= MIN_OVERLAP_SLOTS)
    if f.anyone_wants:
        score += w.requested_subject * _requested_subject_met(f, a, b)
    score += w.stage * _stage_fits(f, a, b)
    if len(f.recent):
        score -= w.fresh * _member(_codes(a, b, len(f)), f.recent)
    forbidden = a == b
    if len(f.blocked):
        forbidden |= _member(_codes(a, b, len(f)), f.blocked)
    mentor_a, mentor_b = f.mentor[a], f.mentor[b]
    forbidden |= mentor_a & ~mentor_b & (f.room[a] <= 0)
    forbidden |= mentor_b & ~mentor_a & (f.room[b] <= 0)
    if f.keep_apart:
        forbidden |= f.adult[a] != f.adult[b]
    score[forbidden] = NOT_ALLOWED
    return score


def weights_between(f: Features, rows: IntArray, cols: IntArray) -> FloatArray:
    """Every (row, col) pair's weight, as a matrix."""
    a = np.repeat(rows, len(cols))
    b = np.tile(cols, len(rows))
    return pair_weights(f, a, b).reshape(len(rows), len(cols))


def shortlist(f: Features, rows: IntArray, size: int) -> IntArray:
    """For each row, up to `size` people likely to fit them best (never themselves; a row with
    fewer likely people is padded with itself, which no pair allows). A full sort of every row
    would cost more than everything else: a threshold read off every eighth column finds about
    `size` likely people; where it finds more, those above it come before those at it, and then
    the first in the (seeded) order of the candidates."""
    left, right = f.dense()
    rank = left[rows] @ right.T
    rank[np.arange(len(rows)), rows] = -np.inf
    sample = rank[:, ::SHORTLIST_SAMPLE]
    place = min(sample.shape[1], size // SHORTLIST_SAMPLE)
    threshold = np.partition(sample, -place, axis=1)[:, -place]
    hit_rows, hit_cols = np.divmod(np.flatnonzero(rank >= threshold[:, None]), rank.shape[1])
    at_threshold = rank[hit_rows, hit_cols] == threshold[hit_rows]
    order = np.argsort(2 * hit_rows + at_threshold, kind="stable")  # above it first
    hit_rows, hit_cols = hit_rows[order], hit_cols[order]
    place_in_row = np.arange(len(hit_rows)) - np.searchsorted(hit_rows, hit_rows)
    kept = place_in_row < size
    chosen = np.tile(rows[:, None], (1, size))
    chosen[hit_rows[kept], place_in_row[kept]] = hit_cols[kept]
    return chosen


def _share_any(bits: Bits, a: IntArray, b: IntArray) -> BoolArray:
    if bits.shape[1] == 0:
        return np.zeros(len(a), dtype=bool)
    return np.asarray((bits[a] & bits[b]).any(axis=1))


def _has_bit(bits: Bits, people: IntArray, positions: IntArray) -> BoolArray:
    """Does people[i] have bit positions[i] set (False where the position is -1)."""
    if bits.shape[1] == 0:
        return np.zeros(len(people), dtype=bool)
    safe = np.maximum(positions, 0)
    words = bits[people, safe // 64]
    found = (words >> (safe % 64).astype(np.uint64)) & np.uint64(1)
    return np.asarray((found == 1) & (positions >= 0))


def _requested_subject_met(f: Features, a: IntArray, b: IntArray) -> BoolArray:
    """Either asked for a subject the other studies or asked for too."""
    wants_a, wants_b = f.wants[a], f.wants[b]
    same_wish = (wants_a == wants_b) & (wants_a >= 0)
    return np.asarray(
        _has_bit(f.subjects, b, wants_a) | _has_bit(f.subjects, a, wants_b) | same_wish
    )


def _stage_fits(f: Features, a: IntArray, b: IntArray) -> BoolArray:
    """Peers at the same stage; a mentor at least one stage ahead of their mentee."""
    mentor_a, mentor_b = f.mentor[a], f.mentor[b]
    label_a = f.stage_label[a]
    same_stage = (label_a == f.stage_label[b]) & (label_a >= 0)
    number_a, number_b = f.stage_number[a], f.stage_number[b]
    with np.errstate(invalid="ignore"):
        a_ahead = number_a >= number_b + 1
        b_ahead = number_b >= number_a + 1
    return np.asarray(
        ((mentor_a == mentor_b) & same_stage)
        | (mentor_a & ~mentor_b & a_ahead)
        | (mentor_b & ~mentor_a & b_ahead)
    )


def _codes(a: IntArray, b: IntArray, n: int) -> IntArray:
    return np.minimum(a, b) * n + np.maximum(a, b)


def _member(codes: IntArray, sorted_codes: IntArray) -> BoolArray:
    """Which codes are in the sorted array (a binary search each: no sort of the queries)."""
    at = np.minimum(np.searchsorted(sorted_codes, codes), len(sorted_codes) - 1)
    return np.asarray(sorted_codes[at] == codes)


def _pair_codes(pairs: frozenset[tuple[int, int]], index: dict[int, int]) -> IntArray:
    """Id pairs as sorted codes of index pairs; pairs naming someone absent are dropped."""
    n = len(index)
    codes = [
        min(index[x], index[y]) * n + max(index[x], index[y])
        for x, y in pairs
        if x in index and y in index
    ]
    return np.array(sorted(codes), dtype=np.int64)


def _vocabulary(words: Iterable[str]) -> dict[str, int]:
    vocabulary: dict[str, int] = {}
    for word in words:
        vocabulary.setdefault(word, len(vocabulary))
    return vocabulary


def _bits(positions: Sequence[Sequence[int]], width: int) -> Bits:
    words = (width + 63) // 64
    flags = np.zeros((len(positions), words * 64), dtype=bool)
    rows = np.repeat(np.arange(len(positions)), [len(p) for p in positions])
    flags[rows, np.fromiter((x for p in positions for x in p), dtype=np.int64)] = True
    packed = np.packbits(flags, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view(np.uint64).reshape(len(positions), words)


def _unpack(bits: Bits, width: int) -> FloatArray:
    as_bytes = bits.view(np.uint8).reshape(len(bits), -1)
    flags = np.unpackbits(as_bytes, axis=1, bitorder="little")[:, :width]
    return flags.astype(np.float32)


def _one_hot(labels: IntArray, width: int | None = None) -> FloatArray:
    if width is None:
        width = int(labels.max()) + 1 if len(labels) else 0
    matrix = np.zeros((len(labels), width), dtype=np.float32)
    known = labels >= 0
    matrix[np.flatnonzero(known), labels[known]] = 1.0
    return matrix


def _coarse_time(slots: FloatArray) -> FloatArray:
    """Free half-hours summed into blocks of COARSE_SLOTS, scaled so a block reads 0..1."""
    blocks: FloatArray = slots.reshape(len(slots), -1, COARSE_SLOTS).mean(axis=2)
    return blocks

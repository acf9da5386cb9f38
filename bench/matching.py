"""How good, fast and lean one round of pair matching is (`bot.matching.match`).

Measures, on generated programmes that look like real ones (deterministic from a seed):
- quality at 200, 500 and 1,000 people: our total weight as a share of the exact optimum
  (networkx's blossom algorithm on the full graph of every allowed pair);
- quality at 10,000 people: our total weight as a share of a proven upper bound on the full graph
  (half the assignment relaxation on the dense 10,000 × 10,000 weight matrix);
- speed and memory at 10,000 people, in a fresh process: `match` alone (it builds its own
  graph), median of 3 runs, peak RSS and the RSS growth over the process after generation;
- a baseline of what other tools do (random pairs that avoid recent repeats) on the same data:
  its weight, repeats and broken hard rules next to ours.

Targets: at least 99.5% of the optimum (or bound) everywhere, no hard rule ever broken, and a
10,000-person round under 2 s and 500 MB on a 2-core machine.

Run: make bench   (or .venv/bin/python -m bench.matching)
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from bot.matching import match
from bot.matching.problem import (
    SLOT_MINUTES,
    SLOTS_PER_WEEK,
    Candidate,
    Outcome,
    Problem,
    pair_key,
)
from bot.matching.scoring import Features, IntArray, pair_weights, weights_between

Matrix = npt.NDArray[np.float64]

SEED = 2026
SIZES = (200, 500, 1_000, 10_000)
RUNS = 3
QUALITY_TARGET = 0.995
SECONDS_TARGET = 2.0
MEGABYTES_TARGET = 500.0
BLOCK_ROWS = 250  # rows of the full graph scored at once: 250 × 10,000 pairs
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


# --- the yardsticks ------------------------------------------------------------------------------


def full_block(f: Features, rows: IntArray) -> Matrix:
    """The rows' weights to everyone on the full graph: a forbidden pair and a person with
    themselves weigh 0, which the yardsticks read as "not paired"."""
    block = weights_between(f, rows, np.arange(len(f))).astype(np.float64)
    np.clip(block, 0.0, None, out=block)
    block[np.arange(len(rows)), rows] = 0.0
    return block


def full_matrix(f: Features, label: str) -> Matrix:
    """Every pair's weight, built in row blocks on two threads (numpy scores outside the GIL)."""
    n = len(f)
    matrix = np.empty((n, n), dtype=np.float64)
    blocks = [np.arange(start, min(n, start + BLOCK_ROWS)) for start in range(0, n, BLOCK_ROWS)]
    step = max(1, len(blocks) // 10)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done, (rows, block) in enumerate(
            pool.map(lambda rows: (rows, full_block(f, rows)), blocks), start=1
        ):
            matrix[rows] = block
            if done % step == 0 or done == len(blocks):
                _say(f"{label}: full graph, {done}/{len(blocks)} row blocks scored")
    return matrix


def exact_optimum(weights: Matrix) -> float:
    """The heaviest matching of the full graph (every pair weighing more than 0), by blossom."""
    first, second = np.triu_indices(len(weights), k=1)
    values = weights[first, second]
    allowed = values > 0
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        zip(
            first[allowed].tolist(), second[allowed].tolist(), values[allowed].tolist(), strict=True
        )
    )
    chosen = nx.max_weight_matching(graph)
    return float(sum(weights[a, b] for a, b in chosen))


def assignment_relaxation(weights: Matrix) -> tuple[float, float]:
    """A proven upper bound on the heaviest matching, and a real matching's weight below it.

    Bound: a matching M is also an assignment (each paired person points at their partner, the
    rest at themselves, which weighs 0), and as the weights are symmetric (checked) it weighs
    2·w(M). So the best assignment A bounds every matching: OPT ≤ A/2. The real matching: the
    assignment's 2-cycles, and the heavier half of the alternate edges of each longer cycle."""
    if not np.array_equal(weights, weights.T):
        raise AssertionError("the weights are not symmetric, so assignment / 2 is no bound")
    rows, cols = linear_sum_assignment(weights, maximize=True)
    bound = float(weights[rows, cols].sum()) / 2
    successor = np.empty(len(weights), dtype=np.int64)
    successor[rows] = cols
    found = sum(_best_alternation(cycle, weights) for cycle in _cycles(successor))
    return bound, found


def _cycles(successor: IntArray) -> list[list[int]]:
    """The cycles of a permutation, each listed from its smallest member."""
    seen = np.zeros(len(successor), dtype=bool)
    cycles = []
    for start in range(len(successor)):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        while not seen[successor[cycle[-1]]]:
            cycle.append(int(successor[cycle[-1]]))
            seen[cycle[-1]] = True
        cycles.append(cycle)
    return cycles


def _best_alternation(cycle: list[int], weights: Matrix) -> float:
    """The weight of the heavier choice of every other edge around a cycle (0 for one person)."""
    size = len(cycle)
    if size < 2:
        return 0.0
    edges = [float(weights[cycle[i], cycle[(i + 1) % size]]) for i in range(size)]
    if size == 2:
        return edges[0]
    return max(
        sum(edges[(offset + 2 * i) % size] for i in range(size // 2))
        for offset in range(size if size % 2 else 2)
    )


# --- ours and the baseline, counted the same way -------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """A set of pairs, judged on the full graph: weight (a forbidden pair weighs 0), pairs that
    met in the recent rounds, pairs breaking a hard rule, and people in no pair."""

    weight: float
    repeats: int
    broken: int
    alone: int


def tally(f: Features, pairs: list[tuple[int, int]]) -> Tally:
    """Judge pairs of ids. A hard rule is broken by a blocked pair or by a mentor without room
    paired with a non-mentor; each person may appear in at most one pair."""
    problem = f.problem
    seen = Counter(person for pair in pairs for person in pair)
    twice = [person for person, times in seen.items() if times > 1]
    if twice:
        raise AssertionError(f"people in more than one pair: {twice[:10]}")
    first = np.array([f.index[a] for a, _ in pairs], dtype=np.int64)
    second = np.array([f.index[b] for _, b in pairs], dtype=np.int64)
    weights = pair_weights(f, first, second) if pairs else np.zeros(0, dtype=np.float32)
    broken = [_breaks_rule(f, a, b) for a, b in pairs]
    disagree = [
        pair for pair, w, bad in zip(pairs, weights, broken, strict=True) if bad != (w <= 0)
    ]
    if disagree:
        raise AssertionError(f"the rules and the scoring disagree on {disagree[:10]}")
    return Tally(
        weight=float(np.clip(weights, 0.0, None).sum()),
        repeats=sum(pair_key(a, b) in problem.recent for a, b in pairs),
        broken=sum(broken),
        alone=len(f) - len(seen),
    )


def _breaks_rule(f: Features, a: int, b: int) -> bool:
    """Blocked, or a mentor with no room left taking a non-mentor as mentee."""
    if pair_key(a, b) in f.problem.blocked:
        return True
    mentor_a, mentor_b = f.mentor[f.index[a]], f.mentor[f.index[b]]
    if mentor_a != mentor_b:
        mentor = f.index[a] if mentor_a else f.index[b]
        return bool(f.room[mentor] <= 0)
    return False


def our_pairs(outcome: Outcome, problem: Problem) -> list[tuple[int, int]]:
    """Our groups as pairs. Everyone is in exactly one of: a group, sat out, unmatched; and with
    trios off and two per group every group is a pair. Anything else is a bug."""
    odd = [group.members for group in outcome.groups if len(group.members) != 2]
    if odd:
        raise AssertionError(f"groups that are not pairs: {odd[:10]}")
    placed = Counter(
        [m for group in outcome.groups for m in group.members]
        + [*outcome.sat_out, *outcome.unmatched]
    )
    twice = sorted(person for person, times in placed.items() if times > 1)
    missing = sorted({c.id for c in problem.candidates} - set(placed))
    strangers = sorted(set(placed) - {c.id for c in problem.candidates})
    if twice or missing or strangers:
        raise AssertionError(f"placed twice {twice[:10]}, lost {missing[:10]}, {strangers[:10]}")
    return [(group.members[0], group.members[1]) for group in outcome.groups]


def random_pairs(problem: Problem, seed: int) -> list[tuple[int, int]]:
    """What other tools do: shuffle, then each person in turn takes the first unpaired person they
    did not meet in the recent rounds, or the next unpaired person if they met everyone left."""
    met: dict[int, set[int]] = {}
    for a, b in problem.recent:
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    waiting = sorted(c.id for c in problem.candidates)
    random.Random(seed).shuffle(waiting)
    waiting.reverse()  # take from the end: popping the front of a long list is slow
    pairs = []
    while len(waiting) >= 2:
        person = waiting.pop()
        earlier = met.get(person, set())
        at = next((i for i in range(len(waiting) - 1, -1, -1) if waiting[i] not in earlier), -1)
        pairs.append((person, waiting.pop(at)))
    return pairs


# --- one programme size --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    """Everything measured at one size. `optimum` is None where blossom is too slow; `bound` is
    always a proven upper bound on the full graph; `found` a real matching's weight (so the
    optimum lies between `found` and `bound`)."""

    n: int
    mentors: int
    recent_pairs: int
    blocked_pairs: int
    ours: Tally
    baseline: Tally
    optimum: float | None
    bound: float
    found: float
    sparse_bound: float | None
    match_seconds: float
    yardstick_seconds: float

    @property
    def reference(self) -> float:
        """What we are measured against: the optimum where known, else the proven bound."""
        return self.optimum if self.optimum is not None else self.bound


def measure_quality(n: int, seed: int, exact_up_to: int) -> Quality:
    """One programme: our round, the baseline's, and the yardsticks on the full graph."""
    problem = generate(n, seed)
    features = Features(problem)
    gc.collect()
    start = time.perf_counter()
    outcome = match(problem)
    match_seconds = time.perf_counter() - start
    ours = tally(features, our_pairs(outcome, problem))
    if abs(ours.weight - outcome.weight) > 1e-3 * max(1.0, ours.weight):
        raise AssertionError(f"n={n}: groups say {outcome.weight}, the scoring says {ours.weight}")
    baseline = tally(features, random_pairs(problem, seed))
    _say(
        f"n={n}: ours {ours.weight:,.0f} in {match_seconds:.2f} s, baseline {baseline.weight:,.0f}"
    )
    start = time.perf_counter()
    weights = full_matrix(features, f"n={n}")
    bound, found = assignment_relaxation(weights)
    _say(f"n={n}: assignment bound {bound:,.1f}, its rounding {found:,.0f}")
    optimum = None
    if n <= exact_up_to:
        _say(f"n={n}: exact optimum by blossom (networkx; about 2-3 min at 1,000)")
        optimum = exact_optimum(weights)
        _say(f"n={n}: optimum {optimum:,.0f}")
    yardstick_seconds = time.perf_counter() - start
    return Quality(
        n=n,
        mentors=int(features.mentor.sum()),
        recent_pairs=len(problem.recent),
        blocked_pairs=len(problem.blocked),
        ours=ours,
        baseline=baseline,
        optimum=optimum,
        bound=bound,
        found=max(found, ours.weight, optimum or 0.0),
        sparse_bound=outcome.upper_bound,
        match_seconds=match_seconds,
        yardstick_seconds=yardstick_seconds,
    )


# --- speed and memory, in a fresh process --------------------------------------------------------


@dataclass(frozen=True)
class Footprint:
    """`match` at one size in a process of its own: seconds per run, the process's peak RSS, and
    its RSS once imports and generation were done."""

    seconds: list[float]
    peak_mb: float
    baseline_mb: float

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.baseline_mb


def measure_footprint(n: int, seed: int) -> Footprint:
    """Run `footprint_child` in a new interpreter and read its one line of JSON."""
    _say(f"n={n}: speed and memory in a fresh process ({RUNS} runs)")
    done = subprocess.run(
        [sys.executable, "-m", "bench.matching", "--footprint", str(n), "--seed", str(seed)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return Footprint(**json.loads(done.stdout.strip().splitlines()[-1]))


def footprint_child(n: int, seed: int) -> None:
    """Generate, note the resident memory, then time `match` RUNS times; print it as JSON."""
    problem = generate(n, seed)
    gc.collect()
    baseline_mb = _resident_mb()
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        match(problem)
        seconds.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "baseline_mb": baseline_mb}))


def _resident_mb() -> float:
    """The process's resident memory now (Linux: /proc/self/statm counts pages)."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * resource.getpagesize() / 2**20


# --- the report ----------------------------------------------------------------------------------


def table(results: list[Quality], footprint: Footprint | None) -> str:
    """All numbers as one markdown table, a column per programme size."""
    rows: list[tuple[str, list[str]]] = [
        ("mentors, pairs met in the last 6 rounds, blocked pairs", _cells(results, _programme)),
        ("**ours: total weight**", _cells(results, lambda q: _num(q.ours.weight))),
        ("exact optimum on the full graph (blossom)", _cells(results, lambda q: _maybe(q.optimum))),
        ("proven upper bound on the full graph (assignment / 2)", _cells(results, _bound)),
        ("heaviest matching known on the full graph", _cells(results, lambda q: _num(q.found))),
        ("**ours, share of the optimum (where unknown: of the bound)**", _cells(results, _share)),
        ("ours, share of the heaviest matching known", _cells(results, _share_of_found)),
        (
            "`outcome.upper_bound`: our sparse graph's relaxation, not a bound on the full graph",
            _cells(results, lambda q: _maybe(q.sparse_bound)),
        ),
        ("ours: repeats / broken hard rules / left alone", _cells(results, _our_rules)),
        ("random pairs avoiding repeats: total weight (share)", _cells(results, _baseline)),
        ("random pairs: repeats / broken hard rules / left alone", _cells(results, _their_rules)),
        ("`match`, one run in this process (s)", _cells(results, _match_seconds)),
        ("yardsticks on the full graph (s)", _cells(results, _yardstick_seconds)),
    ]
    if footprint is not None:
        blank = [""] * (len(results) - 1)
        runs = ", ".join(f"{s:.2f}" for s in footprint.seconds)
        rows += [
            (
                f"`match` in a fresh process, median of {RUNS} runs (s; target < 2)",
                [*blank, f"**{statistics.median(footprint.seconds):.2f}** ({runs})"],
            ),
            ("its peak RSS (MB; target < 500)", [*blank, f"**{footprint.peak_mb:.0f}**"]),
            ("its RSS growth over imports and generation (MB)", [*blank, _mb(footprint)]),
        ]
    lines = [
        "| measure | " + " | ".join(f"{q.n:,} people" for q in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return "\n".join(lines)


def _cells(results: list[Quality], cell: Callable[[Quality], str]) -> list[str]:
    return [cell(q) for q in results]


def missed_targets(results: list[Quality], footprint: Footprint | None) -> list[str]:
    """Every target a run missed, said with its numbers."""
    missed = []
    for q in results:
        share = q.ours.weight / q.reference
        if share < QUALITY_TARGET:
            missed.append(
                f"n={q.n:,}: ours {q.ours.weight:,.0f} is {share:.2%} of {q.reference:,.1f}"
            )
        if q.ours.broken or q.ours.alone:
            missed.append(f"n={q.n:,}: ours broke {q.ours.broken} rules, left {q.ours.alone} alone")
    if footprint is not None:
        median = statistics.median(footprint.seconds)
        if median >= SECONDS_TARGET:
            runs = ", ".join(f"{s:.2f}" for s in footprint.seconds)
            missed.append(f"largest size: median {median:.2f} s (runs {runs})")
        if footprint.peak_mb >= MEGABYTES_TARGET:
            missed.append(f"largest size: peak RSS {footprint.peak_mb:.0f} MB")
    return missed


def _programme(q: Quality) -> str:
    return f"{q.mentors:,}, {q.recent_pairs:,}, {q.blocked_pairs}"


def _num(value: float) -> str:
    return f"{value:,.1f}" if value % 1 else f"{value:,.0f}"


def _maybe(value: float | None) -> str:
    return "—" if value is None else _num(value)


def _share(q: Quality) -> str:
    return f"{q.ours.weight / q.reference:.2%}"


def _share_of_found(q: Quality) -> str:
    return f"{q.ours.weight / q.found:.2%}"


def _bound(q: Quality) -> str:
    return _num(q.bound)


def _our_rules(q: Quality) -> str:
    return _rules(q.ours)


def _their_rules(q: Quality) -> str:
    return _rules(q.baseline)


def _match_seconds(q: Quality) -> str:
    return f"{q.match_seconds:.2f}"


def _yardstick_seconds(q: Quality) -> str:
    return f"{q.yardstick_seconds:.1f}"


def _mb(footprint: Footprint) -> str:
    return f"{footprint.growth_mb:.0f} (from {footprint.baseline_mb:.0f})"


def _baseline(q: Quality) -> str:
    return f"{q.baseline.weight:,.0f} ({q.baseline.weight / q.reference:.1%})"


def _rules(t: Tally) -> str:
    return f"{t.repeats:,} / {t.broken} / {t.alone}"


def _say(message: str) -> None:
    print(f"[bench.matching] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--exact-up-to", type=int, default=1_000)
    parser.add_argument("--footprint", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.footprint:
        footprint_child(args.footprint, args.seed)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    started = time.perf_counter()
    footprint = measure_footprint(max(sizes), args.seed) if max(sizes) >= 10_000 else None
    results = [measure_quality(n, args.seed, args.exact_up_to) for n in sizes]
    print(table(results, footprint))
    missed = missed_targets(results, footprint)
    if missed:
        print()
    for line in missed:
        print(f"- missed: {line}")
    _say(f"done in {time.perf_counter() - started:.0f} s")
    if any(q.ours.broken for q in results):
        raise SystemExit("our matching broke a hard rule")


if __name__ == "__main__":
    main()

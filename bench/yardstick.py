"""The yardsticks a matching is measured against: the exact optimum on the full graph (networkx),
the assignment relaxation's bound, and a tally of weight, repeats and broken rules counted the
same way for ours and for the baseline (random pairs that avoid recent repeats)."""

from __future__ import annotations

import random
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from bot.matching.problem import (
    Outcome,
    Problem,
    pair_key,
)
from bot.matching.scoring import Features, IntArray, pair_weights, weights_between

Matrix = npt.NDArray[np.float64]


BLOCK_ROWS = 250  # rows of the full graph scored at once: 250 × 10,000 pairs

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
                say(f"{label}: full graph, {done}/{len(blocks)} row blocks scored")
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
    met in the recent rounds, pairs breaking a hard rule, people in no pair (`alone`), and of
    those the ones left alone while someone they were allowed to meet was alone too
    (`stranded`: those two could have been a pair, so a matcher should leave none)."""

    weight: float
    repeats: int
    broken: int
    alone: int
    stranded: int


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
        stranded=_stranded(f, seen),
    )


def _stranded(f: Features, placed: Counter[int]) -> int:
    """How many people in no pair have an allowed partner who is in no pair either."""
    alone = np.array([i for i, person in enumerate(f.ids.tolist()) if person not in placed])
    if len(alone) < 2:
        return 0
    allowed = weights_between(f, alone, alone) > 0
    return int(allowed.any(axis=1).sum())


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


def say(message: str) -> None:
    """Progress, on stderr."""
    print(f"[bench.matching] {message}", file=sys.stderr, flush=True)

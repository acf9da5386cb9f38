"""Pairs and groups of maximum total weight, at the scale of a university.

Rules:
- every person keeps the `neighbours` best candidates by weight; the graph is their union;
- pairs come from the assignment relaxation on that graph (a proven upper bound as a by-product),
  rounded cycle by cycle and then improved locally until no swap or augmentation helps;
- with an odd number, either the lone person joins the pair where they add the most (a trio) or,
  by circle setting, someone sits out: always one who has sat out least so far;
- the seed only orders ties, so the same input and seed give the same answer.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from scipy.sparse import identity
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from bot.matching.augment import augment
from bot.matching.graph import Graph, keep_best, score_candidates, sparse_graph, union
from bot.matching.grouping import form_groups
from bot.matching.local_search import EPSILON, improve
from bot.matching.problem import Candidate, Group, Outcome, Problem
from bot.matching.scoring import (
    Features,
    FloatArray,
    IntArray,
    pair_weights,
    weights_between,
)

PRICING_NEIGHBOURS = 6  # each person's best partners in the graph that sets prices
MOST_ALONE_RESCUED = 50  # people; more alone than this means the rules allow no more


def match(problem: Problem) -> Outcome:
    """Everyone of the problem in pairs (or groups of `group_size`), sit-outs and the unmatched."""
    people = _seeded_order(problem.candidates, problem.seed)
    sitting_out = _sit_outs(people, problem) if not problem.trio_for_odd else []
    resting = {c.id for c in sitting_out}
    playing = tuple(c for c in people if c.id not in resting)
    features = Features(replace(problem, candidates=playing))
    if problem.group_size > 2:
        groups, unmatched = form_groups(features, sparse_graph(features))
        bound = None
    else:
        groups, unmatched, bound = _pairs(features)
    return Outcome(
        groups=tuple(groups),
        sat_out=tuple(c.id for c in sitting_out),
        unmatched=tuple(unmatched),
        upper_bound=bound,
    )


def best_partner(problem: Problem, seeker: int) -> tuple[int, float] | None:
    """The allowed candidate who fits `seeker` best, with the weight; ties go to whoever comes
    first in `problem.candidates` (the queue's order)."""
    features = Features(problem)
    row = features.index[seeker]
    weights = weights_between(features, np.array([row]), np.arange(len(features)))[0]
    best = int(np.argmax(weights))
    if weights[best] <= 0:
        return None
    return int(features.ids[best]), float(weights[best])


def _pairs(f: Features) -> tuple[list[Group], list[int], float | None]:
    """Solve on each person's best partners, together with their best partners priced by what
    those already earn in the relaxation of a smaller graph (each person's few best): this
    brings in the less sought-after people whom nobody lists first."""
    n = len(f)
    if n < 2:
        return [], [int(i) for i in f.ids], 0.0 if n else None
    scored = score_candidates(f)
    graph = keep_best(f, scored)
    ceiling = f.problem.weights.most + 1.0
    if graph.matrix.nnz < scored.cols.size:  # else the graph holds every scored pair
        sketch = keep_best(f, scored, keep=PRICING_NEIGHBOURS)
        _, chosen, _ = _assignment(sketch, ceiling)
        earned = (chosen / 2).astype(np.float32)
        graph = union(graph, keep_best(f, scored, price=earned, salt=1))
    mate, bound = _solve(graph, ceiling)
    _pair_alone(f, mate)
    _split_pairs_for_alone(f, mate)
    first = np.flatnonzero(np.arange(n) < mate)
    second = mate[first]
    weights = pair_weights(f, first, second).tolist()
    groups = [
        Group((int(f.ids[a]), int(f.ids[b])), w)
        for a, b, w in zip(first.tolist(), second.tolist(), weights, strict=True)
    ]
    alone = np.flatnonzero(mate < 0).tolist()
    if f.problem.trio_for_odd:
        alone = _join_trios(f, alone, groups)
    return groups, [int(f.ids[a]) for a in alone], bound


def _solve(graph: Graph, ceiling: float) -> tuple[IntArray, float]:
    """Partners on the graph (-1 for nobody) and the relaxation's bound."""
    successor, chosen, bound = _assignment(graph, ceiling)
    mate, restless, odd = _round_cycles(successor, chosen.tolist())
    paired = np.array(mate, dtype=np.int64)
    restless |= augment(paired, graph, odd)
    mate = paired.tolist()
    improve(mate, graph, restless)
    return np.array(mate, dtype=np.int64), bound


def _assignment(graph: Graph, ceiling: float) -> tuple[list[int], FloatArray, float]:
    """Everyone chooses one partner (or themselves, for nobody) so that the total weight is
    largest. Any matching is such a choice counted twice, so half the total bounds the best
    matching from above."""
    n = len(graph)
    costs = graph.matrix.copy()
    costs.data = ceiling - costs.data
    costs = (costs + identity(n, format="csr") * ceiling).tocsr()
    _, successor = min_weight_full_bipartite_matching(costs)
    chosen = np.asarray(graph.matrix[np.arange(n), successor], dtype=np.float32).ravel()
    return successor.tolist(), chosen, float(chosen.sum()) / 2


def _round_cycles(
    successor: list[int], chosen: list[float]
) -> tuple[list[int], set[int], list[list[int]]]:
    """Turn the chosen cycles into pairs: a 2-cycle is a pair; a longer cycle keeps the better
    alternate half of its edges. Returns partners (-1 for nobody), the people whose cycle lost
    weight, where local improvement starts, and the odd cycles (each in order).
    `chosen[v]` weighs the edge from v to its successor."""
    n = len(successor)
    mate = [-1] * n
    seen = [False] * n
    restless: set[int] = set()
    odd: list[list[int]] = []
    for start in range(n):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        while not seen[successor[cycle[-1]]]:
            cycle.append(successor[cycle[-1]])
            seen[cycle[-1]] = True
        if len(cycle) == 1:
            restless.add(start)
            continue
        pairs = _best_alternation(cycle, [chosen[v] for v in cycle])
        for a, b in pairs:
            mate[a], mate[b] = b, a
        if len(cycle) > 2:
            restless.update(cycle)
        if len(cycle) % 2:
            odd.append(cycle)
    return mate, restless, odd


def _best_alternation(cycle: list[int], weights: list[float]) -> list[tuple[int, int]]:
    """The heaviest set of every-other edges around a cycle; in an odd cycle, the best person to
    leave out is found with running sums, so a long cycle costs linear time."""
    size = len(cycle)
    edges = [(cycle[i], cycle[(i + 1) % size]) for i in range(size)]
    taken = size // 2
    if size % 2 == 0:
        starts = [0, 1]
        totals = [sum(weights[0::2]), sum(weights[1::2])]
    else:
        twice = weights + weights
        running = [0.0] * (2 * size + 2)  # running[k + 2]: every-other sum ending at k
        for k, weight in enumerate(twice):
            running[k + 2] = running[k] + weight
        starts = list(range(size))
        totals = [running[s + 2 * taken] - running[s] for s in starts]
    best = starts[max(range(len(starts)), key=totals.__getitem__)]
    return [edges[(best + 2 * t) % size] for t in range(taken)]


def _pair_alone(f: Features, mate: IntArray) -> None:
    """People the sparse graph left alone may still fit each other: pair them, best first."""
    alone = np.flatnonzero(mate < 0)[:MOST_ALONE_RESCUED]
    if len(alone) < 2:
        return
    weights = weights_between(f, alone, alone)
    for flat in np.argsort(-weights, axis=None).tolist():
        i, j = divmod(flat, len(alone))
        if weights[i, j] <= 0:
            break
        a, b = alone[i], alone[j]
        if mate[a] < 0 and mate[b] < 0:
            mate[a], mate[b] = b, a


def _split_pairs_for_alone(f: Features, mate: IntArray) -> None:
    """Two people still alone who cannot be paired together may each take one member of a pair,
    when each fits their new partner and the total grows: one pair becomes two."""
    alone = np.flatnonzero(mate < 0)[:MOST_ALONE_RESCUED].tolist()
    everyone = np.arange(len(f))
    to_all = {u: weights_between(f, np.array([u]), everyone)[0] for u in alone}
    for u in alone:
        for x in alone:
            if u == x or mate[u] >= 0 or mate[x] >= 0:
                continue
            first = np.flatnonzero(everyone < mate)
            second = mate[first]
            kept = pair_weights(f, first, second)
            best_gain, best_move = EPSILON, None
            for a, b in ((first, second), (second, first)):
                fits = (to_all[u][a] > 0) & (to_all[x][b] > 0)
                gains = np.where(fits, to_all[u][a] + to_all[x][b] - kept, -np.inf)
                at = int(np.argmax(gains)) if len(gains) else -1
                if at >= 0 and gains[at] > best_gain:
                    best_gain, best_move = float(gains[at]), (int(a[at]), int(b[at]))
            if best_move:
                a_, b_ = best_move
                mate[u], mate[a_], mate[x], mate[b_] = a_, u, b_, x


def _join_trios(f: Features, alone: list[int], groups: list[Group]) -> list[int]:
    """Each person left alone joins the pair they add the most weight to, if both allow it; a
    pair takes at most one extra person. Returns who is still alone."""
    if not groups:
        return alone
    still_alone = []
    for person in alone:
        everyone = np.arange(len(f))
        to_all = weights_between(f, np.array([person]), everyone)[0]
        best_gain, best_at = 0.0, -1
        for at, group in enumerate(groups):
            if len(group.members) != 2:
                continue
            a, b = (f.index[m] for m in group.members)
            if to_all[a] <= 0 or to_all[b] <= 0 or not _mentor_room_ok(f, (a, b, person)):
                continue
            gain = float(to_all[a] + to_all[b])
            if gain > best_gain:
                best_gain, best_at = gain, at
        if best_at < 0:
            still_alone.append(person)
            continue
        group = groups[best_at]
        groups[best_at] = Group((*group.members, int(f.ids[person])), group.weight + best_gain)
    return still_alone


def _mentor_room_ok(f: Features, members: tuple[int, ...]) -> bool:
    """A mentor in a group takes every non-mentor in it as a mentee."""
    mentees = sum(1 for m in members if not f.mentor[m])
    return all(f.room[m] >= mentees for m in members if f.mentor[m])


def _seeded_order(people: tuple[Candidate, ...], seed: int) -> tuple[Candidate, ...]:
    shuffled = sorted(people, key=lambda c: c.id)
    random.Random(seed).shuffle(shuffled)
    return tuple(shuffled)


def _sit_outs(people: tuple[Candidate, ...], problem: Problem) -> list[Candidate]:
    """Who rests this round when the numbers do not divide: those who have rested least, in the
    seeded order; so nobody rests twice before everyone has rested once."""
    extra = len(people) % problem.group_size if len(people) > problem.group_size else 0
    by_turn = sorted(people, key=lambda c: c.sit_outs)  # stable: seeded order breaks ties
    return by_turn[:extra]

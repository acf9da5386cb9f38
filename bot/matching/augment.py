"""Longer augmenting paths between the relaxation's odd cycles and the people left alone.

Rounding an odd cycle of the relaxation leaves one of its people out; which one is best to leave
out depends on where a path to another such cycle can start. Rules: every odd cycle (a person
left alone is a cycle of one) is a possible end of a path; a path starts at any person of one
cycle, alternates a new pair with a broken pair outside every cycle, and either enters another
cycle at any person or stops, leaving its last person alone. The cycles at its ends are rounded
again around the people the path pairs, so everyone on them is paired. A path is applied only if
the total weight of everyone it touches grows by more than EPSILON; the paths applied in one pass
share nobody. Paths are grown from every cycle together, a step at a time, each person keeping
the best way found to reach them (a search that finds most improving paths, not all).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.matching.graph import Graph
from bot.matching.local_search import EPSILON

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Edges = tuple[IntArray, IntArray, FloatArray]
DEPTH = 6  # broken pairs in a path, at most
FLOOR = -4.0  # a path that has lost more than this on the way is not followed further
PASSES = 3
TRIES = 3  # endings tried per cycle and pass


def augment(mate: IntArray, graph: Graph, odd_cycles: Sequence[list[int]]) -> set[int]:
    """Apply improving paths until a pass finds none; returns everyone whose partner changed.
    `odd_cycles` list each cycle's people in order, rounded as `mate` holds them."""
    touched: set[int] = set()
    coo = graph.matrix.tocoo()
    edges = (coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float64))
    del coo
    cycles = [c for c in odd_cycles if len(c) > 1]
    for _ in range(PASSES):
        cycles = [c for c in cycles if touched.isdisjoint(c)]
        inside = {p for c in cycles for p in c}
        alone = [[p] for p in np.flatnonzero(mate < 0).tolist() if p not in inside]
        changed = _one_pass(mate, graph, edges, cycles + alone)
        if not changed:
            break
        touched |= changed
    return touched


def _one_pass(mate: IntArray, graph: Graph, edges: Edges, groups: list[list[int]]) -> set[int]:
    rows, cols, data = edges
    n = len(mate)
    if len(groups) < 1:
        return set()
    group = np.full(n, -1)
    start = np.full(n, -np.inf)
    for at, members in enumerate(groups):
        group[members] = at
        start[members] = _leave_out_values(members, graph, mate)
    kept = np.zeros(n)
    mine = mate[rows] == cols
    kept[rows[mine]] = data[mine]
    gain = start.copy()
    origin = np.where(group >= 0, np.arange(n), -1)
    via = np.full(n, -1)  # the partner taken on the way to each person
    came = np.full(n, -1)  # the person who took them
    frontier = group >= 0
    endings: list[FloatArray] = []  # rows of (gain, last person, person entered or -1)
    for _ in range(DEPTH):
        step = frontier[rows]
        x, v, w = rows[step], cols[step], data[step]
        reach = gain[x] + w
        target = group[v]
        done = (target >= 0) & (target != group[origin[x]])
        done[done] = reach[done] + start[v[done]] > EPSILON
        endings.append(np.stack([reach[done] + start[v[done]], x[done], v[done]], axis=1))
        go = (target < 0) & (mate[v] >= 0) & (mate[v] != x)
        x, v, m = x[go], v[go], mate[v[go]]
        after = reach[go] - kept[v]
        better = (after > gain[m] + EPSILON) & (after > FLOOR)
        x, v, m, after = x[better], v[better], m[better], after[better]
        if not len(m):
            break
        order = np.lexsort((after, m))
        best = order[np.r_[m[order][1:] != m[order][:-1], True]]
        x, v, m, after = x[best], v[best], m[best], after[best]
        gain[m], origin[m], via[m], came[m] = after, origin[x], v, x
        opened = after > EPSILON
        endings.append(np.stack([after[opened], m[opened], np.full(opened.sum(), -1)], axis=1))
        frontier = np.zeros(n, dtype=bool)
        frontier[m] = True
    tries = _best_per_start(np.vstack(endings), group[origin])
    return _apply(mate, graph, tries, (via, came, origin, group, start), groups)


def _best_per_start(endings: FloatArray, group_of_start: IntArray) -> list[tuple[float, int, int]]:
    """The few most improving endings of the paths from each cycle, best first."""
    endings = endings[endings[:, 0] > EPSILON]
    start = group_of_start[endings[:, 1].astype(np.int64)]
    order = np.lexsort((-endings[:, 0], start))
    start = start[order]
    rank = np.arange(len(order)) - np.searchsorted(start, start)
    chosen = endings[order[rank < TRIES]]
    chosen = chosen[np.argsort(-chosen[:, 0], kind="stable")]
    return [(value, int(last), int(entered)) for value, last, entered in chosen.tolist()]


def _leave_out_values(members: list[int], graph: Graph, mate: IntArray) -> list[float]:
    """For each person of a cycle, the cycle's weight rounded without them, less its weight now."""
    size = len(members)
    now = sum(graph[p][int(mate[p])] for p in members if mate[p] >= 0) / 2
    if size == 1:
        return [0.0]
    edge = [graph[members[i]][members[(i + 1) % size]] for i in range(size)]
    twice = edge + edge
    running = [0.0] * (2 * size + 2)  # running[k + 2]: every-other sum ending at k
    for k, weight in enumerate(twice):
        running[k + 2] = running[k] + weight
    # without person i: the edges i+1, i+3, ..., i-2, so size // 2 of them from i+1
    return [running[i + 1 + 2 * (size // 2)] - running[i + 1] - now for i in range(size)]


def _round_without(mate: IntArray, members: list[int], left_out: int) -> None:
    size = len(members)
    at = members.index(left_out)
    mate[left_out] = -1
    for k in range(size // 2):
        a, b = members[(at + 1 + 2 * k) % size], members[(at + 2 + 2 * k) % size]
        mate[a], mate[b] = b, a


def _apply(
    mate: IntArray,
    graph: Graph,
    endings: list[tuple[float, int, int]],
    trail: tuple[IntArray, IntArray, IntArray, IntArray, FloatArray],
    groups: list[list[int]],
) -> set[int]:
    via, came, origin, group, start = trail
    used: set[int] = set()
    used_groups: set[int] = set()
    for _, last, entered in endings:
        first = int(origin[last])
        path = _trace(last, via, came, first)
        ends = {int(group[first]), int(group[entered]) if entered >= 0 else -1} - {-1}
        if path is None or ends & used_groups or len(ends) < (2 if entered >= 0 else 1):
            continue
        people = {p for pair in path for p in pair} | {last}
        if people & used:
            continue
        gain = start[first] + sum(graph[a][b] - graph[b][int(mate[b])] for a, b in path)
        if entered >= 0:
            gain += graph[last][entered] + start[entered]
        if gain <= EPSILON:
            continue
        _round_without(mate, groups[group[first]], first)
        mate[last] = -1
        for a, b in path:
            mate[a], mate[b] = b, a
        if entered >= 0:
            _round_without(mate, groups[group[entered]], entered)
            mate[last], mate[entered] = entered, last
        used |= people
        used_groups |= ends
    return used | {p for at in used_groups for p in groups[at]}


def _trace(last: int, via: IntArray, came: IntArray, first: int) -> list[tuple[int, int]] | None:
    """The new pairs on the way to `last`, from the start; None if the way visits anyone twice."""
    pairs: list[tuple[int, int]] = []
    seen = {last}
    person = last
    while came[person] >= 0 and person != first:
        taker, taken = int(came[person]), int(via[person])
        if taken in seen or taker in seen or len(pairs) > DEPTH:
            return None
        seen |= {taker, taken}
        pairs.append((taker, taken))
        person = taker
    if person != first:
        return None
    pairs.reverse()
    return pairs

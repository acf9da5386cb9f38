"""Small groups (3 to 8) for circles that meet in groups rather than pairs.

Rules: people with the fewest good candidates are placed first, each group grows by the person who
adds the most weight to everyone already in it, every pair inside a group is allowed, and people
left over join the group they add most to (up to one more than the size) or, under the sit-out
rule, were already set aside before grouping began.
"""

from __future__ import annotations

import numpy as np

from bot.matching.graph import Graph
from bot.matching.problem import Group
from bot.matching.scoring import Features, weights_between


def form_groups(f: Features, adjacency: Graph) -> tuple[list[Group], list[int]]:
    size = f.problem.group_size
    n = len(f)
    placed = [False] * n
    members_of: list[list[int]] = []
    for seed in sorted(range(n), key=adjacency.degree):
        if placed[seed]:
            continue
        group = [seed]
        placed[seed] = True
        while len(group) < size and (joiner := _best_joiner(f, adjacency, group, placed)) >= 0:
            group.append(joiner)
            placed[joiner] = True
        members_of.append(group)
    full = [g for g in members_of if len(g) > 1]
    stragglers = [p for g in members_of if len(g) == 1 for p in g]
    alone = _fold_in(f, stragglers, full, size + 1 if f.problem.trio_for_odd else size)
    groups = [Group(tuple(int(f.ids[p]) for p in g), _inner_weight(f, g)) for g in full]
    return groups, [int(f.ids[p]) for p in alone]


def _best_joiner(f: Features, adjacency: Graph, group: list[int], placed: list[bool]) -> int:
    options = {p for member in group for p in adjacency[member] if not placed[p]}
    if not options:
        return -1
    candidates = np.array(sorted(options))
    weights = weights_between(f, np.array(group), candidates)
    allowed = (weights > 0).all(axis=0) & _room_after_joining(f, group, candidates)
    if not allowed.any():
        return -1
    totals = np.where(allowed, weights.sum(axis=0), -np.inf)
    return int(candidates[int(np.argmax(totals))])


def _room_after_joining(f: Features, group: list[int], joiners: np.ndarray) -> np.ndarray:
    """True where each mentor in the group, and a joining mentor, has room for every mentee."""
    mentors = [m for m in group if f.mentor[m]]
    mentees = len(group) - len(mentors)
    ok = np.ones(len(joiners), dtype=bool)
    joining_mentor = f.mentor[joiners]
    for m in mentors:
        ok &= f.room[m] >= mentees + (~joining_mentor).astype(int)
    ok &= ~joining_mentor | (f.room[joiners] >= mentees)
    return ok


def _fold_in(f: Features, stragglers: list[int], groups: list[list[int]], limit: int) -> list[int]:
    alone = []
    for person in stragglers:
        best_at, best_gain = -1, 0.0
        for at, group in enumerate(groups):
            if len(group) >= limit:
                continue
            weights = weights_between(f, np.array([person]), np.array(group))[0]
            fits = _room_after_joining(f, group, np.array([person]))[0]
            if (weights > 0).all() and fits and float(weights.sum()) > best_gain:
                best_at, best_gain = at, float(weights.sum())
        if best_at < 0:
            alone.append(person)
        else:
            groups[best_at].append(person)
    return alone


def _inner_weight(f: Features, group: list[int]) -> float:
    members = np.array(group)
    weights = weights_between(f, members, members)
    return float(np.triu(weights, 1).sum())

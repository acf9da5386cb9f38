"""Improving a matching locally, once the relaxation is rounded.

Rule: a move is made only when it raises the total weight by more than EPSILON: pair a free
person with a free neighbour, take a partner over when their old partner finds someone free, or
swap partners between two pairs; everyone a move touched is looked at again.
"""

from __future__ import annotations

from bot.matching.graph import Graph

EPSILON = 1e-6


def improve(mate: list[int], adjacency: Graph, start: set[int]) -> None:
    """Local search from the people in `start`: pair a free person with a free neighbour, take a
    partner over when their old partner finds someone free, or swap partners between two pairs,
    whenever the total grows. Everyone touched is looked at again."""
    work = sorted(start)
    queued = set(work)
    while work:
        u = work.pop()
        queued.discard(u)
        changed = _augment(u, mate, adjacency) if mate[u] < 0 else _swap(u, mate, adjacency)
        for person in changed:
            for neighbour in (person, *adjacency[person]):
                if neighbour not in queued:
                    queued.add(neighbour)
                    work.append(neighbour)


def _augment(u: int, mate: list[int], adjacency: Graph) -> list[int]:
    best_gain, best_move = EPSILON, None
    for v, w_uv in adjacency[u].items():
        m = mate[v]
        if m < 0:
            if w_uv > best_gain:
                best_gain, best_move = w_uv, (v, -1, -1)
            continue
        for x, w_mx in adjacency[m].items():
            if mate[x] < 0 and x != u:
                gain = w_uv + w_mx - adjacency[v][m]
                if gain > best_gain:
                    best_gain, best_move = gain, (v, m, x)
    if best_move is None:
        return []
    v, m, x = best_move
    mate[u], mate[v] = v, u
    if m < 0:
        return [u, v]
    mate[m], mate[x] = x, m
    return [u, v, m, x]


def _swap(u: int, mate: list[int], adjacency: Graph) -> list[int]:
    a = mate[u]
    partners_of_u, partners_of_a = adjacency[u], adjacency[a]
    w_ua = partners_of_u[a]
    best_gain, best_move = EPSILON, None
    for c, w_uc in partners_of_u.items():
        d = mate[c]
        if c == a:
            continue
        if d < 0:
            gain = w_uc - w_ua  # u leaves a for the free c
            if gain > best_gain:
                best_gain, best_move = gain, (c, -1)
            continue
        w_ad = partners_of_a.get(d)
        if d == u or w_ad is None:
            continue
        gain = w_uc + w_ad - w_ua - adjacency[c][d]
        if gain > best_gain:
            best_gain, best_move = gain, (c, d)
    if best_move is None:
        return []
    c, d = best_move
    mate[u], mate[c] = c, u
    if d < 0:
        mate[a] = -1
        return [u, a, c]
    mate[a], mate[d] = d, a
    return [u, a, c, d]

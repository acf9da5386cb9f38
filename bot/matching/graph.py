"""The compatibility graph the solver works on: each person's best allowed partners.

Rules: an edge is a pair whose weight is above zero; a person keeps their `neighbours` best
edges (every edge in a small programme), and an edge either end keeps is in the graph; above
`SCORE_EVERYONE_UP_TO` people only a shortlist per person is scored, never more than that.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from bot.matching.scoring import (
    TIE_JITTER,
    Features,
    FloatArray,
    IntArray,
    pair_weights,
    shortlist,
)

BLOCK_ROWS = 512
SHORTLIST_FACTOR = 6
SCORE_EVERYONE_UP_TO = 2500  # people; beyond this only shortlisted pairs are scored
KEEP_EVERY_EDGE_UP_TO = 300  # people; a small programme is solved on its whole graph


class Graph:
    """A symmetric sparse weight matrix, with each person's partners as a dict made on first
    use (the local search only looks at a few people)."""

    def __init__(self, matrix: csr_matrix) -> None:
        self.matrix = matrix
        self._partners: dict[int, dict[int, float]] = {}

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def __getitem__(self, person: int) -> dict[int, float]:
        found = self._partners.get(person)
        if found is None:
            start, end = self.matrix.indptr[person], self.matrix.indptr[person + 1]
            found = dict(
                zip(
                    self.matrix.indices[start:end].tolist(),
                    self.matrix.data[start:end].tolist(),
                    strict=True,
                )
            )
            self._partners[person] = found
        return found

    def degree(self, person: int) -> int:
        return int(self.matrix.indptr[person + 1] - self.matrix.indptr[person])


@dataclass(frozen=True)
class Scored:
    """For each person (row), the people worth considering and their exact weights."""

    cols: IntArray
    weights: FloatArray


def score_candidates(f: Features) -> Scored:
    n = len(f)
    blocks = [np.arange(start, min(n, start + BLOCK_ROWS)) for start in range(0, n, BLOCK_ROWS)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy works outside the GIL
        parts = list(pool.map(lambda rows: _score_block(f, rows), blocks))
    return Scored(np.vstack([c for c, _ in parts]), np.vstack([w for _, w in parts]))


def keep_best(
    f: Features,
    scored: Scored,
    price: FloatArray | None = None,
    salt: int = 0,
    keep: int | None = None,
) -> Graph:
    """Each person's `keep` (by default `neighbours`) best partners by weight (less the
    partner's `price`, when given), as a symmetric graph of their true weights."""
    n = len(f)
    cols, weights = scored.cols, scored.weights
    if keep is None:
        keep = n - 1 if n <= KEEP_EVERY_EDGE_UP_TO else f.problem.neighbours
    keep = min(keep, n - 1)
    if keep < cols.shape[1]:
        # Equal weights are common; a seeded jitter spreads the choice among them.
        jitter = np.random.default_rng([f.problem.seed, salt]).random(weights.shape)
        rank = weights + TIE_JITTER * jitter
        if price is not None:
            rank -= price[cols]
        best = np.argpartition(rank, -keep, axis=1)[:, -keep:]
        cols = np.take_along_axis(cols, best, axis=1)
        weights = np.take_along_axis(weights, best, axis=1)
    allowed = weights > 0
    rows = np.repeat(np.arange(n), cols.shape[1])[allowed.ravel()]
    one_way = coo_matrix((weights[allowed], (rows, cols[allowed])), shape=(n, n)).tocsr()
    return Graph(one_way.maximum(one_way.T).tocsr())


def union(first: Graph, second: Graph) -> Graph:
    return Graph(first.matrix.maximum(second.matrix).tocsr())


def sparse_graph(f: Features) -> Graph:
    return keep_best(f, score_candidates(f))


def _score_block(f: Features, rows: IntArray) -> tuple[IntArray, FloatArray]:
    n = len(f)
    listed = min(SHORTLIST_FACTOR * f.problem.neighbours, n - 1)
    if n > SCORE_EVERYONE_UP_TO and listed < n - 1:
        cols = shortlist(f, rows, listed)
    else:
        cols = np.tile(np.arange(n), (len(rows), 1))
    weights = pair_weights(f, np.repeat(rows, cols.shape[1]), cols.ravel()).reshape(cols.shape)
    return cols, weights

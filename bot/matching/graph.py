"""The compatibility graph the solver works on: each person's best allowed partners.

Rules: an edge is a pair whose weight is above zero; a person keeps their `neighbours` best
edges (every edge in a small programme), and an edge either end keeps is in the graph; above
`SCORE_EVERYONE_UP_TO` people only a shortlist per person is scored, never more than that.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from bot.matching.scoring import Features, FloatArray, IntArray, pair_weights, shortlist

BLOCK_ROWS = 1024
SHORTLIST_FACTOR = 4
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


def sparse_graph(f: Features) -> Graph:
    n = len(f)
    blocks = [np.arange(start, min(n, start + BLOCK_ROWS)) for start in range(0, n, BLOCK_ROWS)]
    rows, cols, weights = [], [], []
    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy works outside the GIL
        for block_rows, block_cols, block_weights in pool.map(lambda r: _best_of(f, r), blocks):
            allowed = block_weights > 0
            rows.append(np.repeat(block_rows, block_cols.shape[1])[allowed.ravel()])
            cols.append(block_cols[allowed])
            weights.append(block_weights[allowed])
    one_way = coo_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    ).tocsr()
    return Graph(one_way.maximum(one_way.T).tocsr())


def _best_of(f: Features, rows: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """For each row, its best partners and their weights."""
    n = len(f)
    keep = n - 1 if n <= KEEP_EVERY_EDGE_UP_TO else min(f.problem.neighbours, n - 1)
    listed = min(SHORTLIST_FACTOR * f.problem.neighbours, n - 1)
    if n > SCORE_EVERYONE_UP_TO and listed < n - 1:
        cols = shortlist(f, rows, listed)
    else:
        cols = np.tile(np.arange(n), (len(rows), 1))
    weights = pair_weights(f, np.repeat(rows, cols.shape[1]), cols.ravel()).reshape(cols.shape)
    if keep < cols.shape[1]:
        best = np.argpartition(weights, -keep, axis=1)[:, -keep:]
        cols = np.take_along_axis(cols, best, axis=1)
        weights = np.take_along_axis(weights, best, axis=1)
    return rows, cols, weights

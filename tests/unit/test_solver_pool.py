"""A big round is solved in a worker process with the same answer as in place."""

from __future__ import annotations

from adapters.solver_pool import PooledSolver
from bot.matching import Candidate, Problem, match


async def test_a_worker_process_gives_the_same_round_as_solving_in_place() -> None:
    problem = Problem(
        tuple(Candidate(i, subjects=frozenset({f"s{i % 7}"})) for i in range(1, 41)), seed=4
    )
    solver = PooledSolver(in_place_up_to=10)
    try:
        assert await solver(problem) == match(problem)
    finally:
        solver.close()

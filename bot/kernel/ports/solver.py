"""Where the matcher runs (`Solver`): away from the event loop for a big round, or on the
caller's thread for small problems and tests (`solve_here`)."""

from __future__ import annotations

from typing import Protocol

from bot.matching import Outcome, Problem, match


class Solver(Protocol):
    """Runs the matching function somewhere that does not stall the event loop (a big round is
    seconds of CPU work)."""

    async def __call__(self, problem: Problem) -> Outcome: ...


async def solve_here(problem: Problem) -> Outcome:
    """For small problems and tests: solve on the caller's thread."""
    return match(problem)

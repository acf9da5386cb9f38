"""Who is put together with whom: a pure function from candidates, history and rules to groups.

Nothing here touches storage, a platform or the clock; the same input and seed give the same
output, so a round can be previewed, tested and benchmarked exactly as it will run.
"""

from bot.matching.problem import Candidate, Group, Outcome, Problem, Weights
from bot.matching.solver import best_partner, match

__all__ = ["Candidate", "Group", "Outcome", "Problem", "Weights", "best_partner", "match"]

"""Every shape of programme the benchmark draws, small enough for the exact optimum: the round
comes within half a percent of it, breaks no hard rule and leaves nobody alone beside an allowed
partner who is alone too. A regression in a shape's generator or in the matcher shows here; the
full numbers, up to 10,000 people, live in `bench/matching.py`."""

from __future__ import annotations

import numpy as np
import pytest

from bench.population import generate
from bench.shapes import SHAPES
from bench.yardstick import exact_optimum, full_block, our_pairs, tally
from bot.matching import match
from bot.matching.scoring import Features

PEOPLE = 200


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_is_matched_within_half_a_percent_of_the_optimum(shape: str) -> None:
    problem = generate(PEOPLE, SHAPES[shape])
    outcome = match(problem)
    features = Features(problem)
    ours = tally(features, our_pairs(outcome, problem))
    optimum = exact_optimum(full_block(features, np.arange(len(features))))
    assert ours.broken == 0
    assert ours.stranded == 0
    assert ours.weight >= 0.995 * optimum
    assert abs(ours.weight - outcome.weight) < 1e-6 * optimum


def test_each_shape_is_drawn_as_its_summary_says() -> None:
    school, global_, sparse = (generate(PEOPLE, SHAPES[s]) for s in ("school", "global", "sparse"))
    assert all(c.stage is not None and c.stage.isdigit() for c in school.candidates)
    assert not any(c.stage is not None and c.stage.isdigit() for c in sparse.candidates)
    mentees = [c for c in global_.candidates if not c.is_mentor]
    asking = sum(c.wants is not None for c in mentees) / len(mentees)
    assert 0.4 < asking < 0.6
    assert len({lang for c in global_.candidates for lang in c.languages}) == 10
    blockers = {person for pair in sparse.blocked for person in pair}
    assert len(blockers) >= 0.08 * PEOPLE

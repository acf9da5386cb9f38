"""The matching function on its own: the hard rules always hold, preferences win when they can,
odd numbers are handled fairly, and the result is close to the exact optimum."""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import numpy as np
import pytest

from bot.matching import Candidate, Problem, match
from bot.matching.problem import pair_key
from bot.matching.scoring import Features, weights_between

SUBJECTS = ["algebra", "physics", "chemistry", "biology", "history", "french", "coding"]


def people(n: int, seed: int = 0, mentors: float = 0.0) -> tuple[Candidate, ...]:
    rng = random.Random(seed)
    return tuple(
        Candidate(
            id=i + 1,
            is_mentor=rng.random() < mentors,
            mentee_room=rng.randint(0, 2),
            stage=str(rng.randint(7, 12)),
            subjects=frozenset(rng.sample(SUBJECTS, rng.randint(1, 3))),
            languages=frozenset(rng.sample(["en", "es", "de"], rng.randint(1, 2))),
            free_slots=frozenset(range(start, start + rng.randint(0, 12))),
        )
        for i, start in enumerate(rng.randrange(300) for _ in range(n))
    )


def members(outcome_groups: tuple[tuple[int, ...], ...]) -> Counter[int]:
    return Counter(m for group in outcome_groups for m in group)


@pytest.mark.parametrize("seed", range(8))
def test_hard_rules_hold_whatever_the_people(seed: int) -> None:
    crowd = people(41, seed, mentors=0.3)
    rng = random.Random(seed)
    blocked = frozenset(pair_key(*rng.sample(range(1, 42), 2)) for _ in range(60))
    outcome = match(Problem(crowd, blocked=blocked, seed=seed))
    groups = tuple(g.members for g in outcome.groups)
    by_id = {c.id: c for c in crowd}
    assert max(members(groups).values()) == 1
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                assert pair_key(a, b) not in blocked
        mentees = sum(1 for m in group if not by_id[m].is_mentor)
        for m in group:
            if by_id[m].is_mentor and mentees:
                assert by_id[m].mentee_room >= mentees
    placed = set(members(groups)) | set(outcome.unmatched)
    assert placed == set(by_id)


def test_the_same_input_and_seed_give_the_same_round() -> None:
    problem = Problem(people(30, 3), seed=7)
    assert match(problem) == match(problem)


def test_recent_partners_are_avoided_when_someone_else_fits() -> None:
    a, b, c, d = (Candidate(id=i, subjects=frozenset({"algebra"})) for i in range(1, 5))
    recent = frozenset({(1, 2), (3, 4)})
    outcome = match(Problem((a, b, c, d), recent=recent))
    pairs = {pair_key(*g.members) for g in outcome.groups}
    assert pairs.isdisjoint(recent)


def test_the_lone_person_joins_the_pair_they_fit_best() -> None:
    algebra = frozenset({"algebra"})
    a, b = Candidate(1, subjects=algebra), Candidate(2, subjects=algebra)
    c, d = Candidate(3, subjects=frozenset({"art"})), Candidate(4, subjects=frozenset({"art"}))
    lone = Candidate(5, subjects=algebra)
    outcome = match(Problem((a, b, c, d, lone), recent=frozenset({(1, 5), (2, 5)})))
    trio = next(g for g in outcome.groups if len(g.members) == 3)
    assert 5 in trio.members
    assert set(trio.members) in ({1, 2, 5}, {3, 4, 5})
    assert not outcome.unmatched
    assert not outcome.sat_out


def test_nobody_sits_out_twice_before_everyone_has_once() -> None:
    crowd = {c.id: c for c in people(7, 5)}
    sat_out: list[int] = []
    for week in range(14):
        problem = Problem(tuple(crowd.values()), trio_for_odd=False, seed=week)
        outcome = match(problem)
        assert len(outcome.sat_out) == 1
        assert not outcome.unmatched
        resting = outcome.sat_out[0]
        sat_out.append(resting)
        old = crowd[resting]
        crowd[resting] = Candidate(
            old.id, subjects=old.subjects, stage=old.stage, sit_outs=old.sit_outs + 1
        )
    assert sorted(sat_out[:7]) == sorted(crowd)
    assert sorted(sat_out[7:]) == sorted(crowd)


def test_a_mentor_without_room_is_never_given_a_mentee() -> None:
    full = Candidate(1, is_mentor=True, mentee_room=0, subjects=frozenset({"algebra"}))
    mentee = Candidate(2, subjects=frozenset({"algebra"}))
    outcome = match(Problem((full, mentee)))
    assert not outcome.groups
    assert set(outcome.unmatched) == {1, 2}


def test_groups_have_the_circle_size_and_keep_blocked_people_apart() -> None:
    crowd = people(24, 9)
    blocked = frozenset({(1, 2), (3, 4), (5, 6)})
    outcome = match(Problem(crowd, blocked=blocked, group_size=4, seed=2))
    sizes = Counter(len(g.members) for g in outcome.groups)
    assert sum(size * count for size, count in sizes.items()) + len(outcome.unmatched) == 24
    assert set(sizes) <= {3, 4, 5}
    for group in outcome.groups:
        assert all(pair_key(a, b) not in blocked for a in group.members for b in group.members)


@pytest.mark.parametrize("seed", range(5))
def test_pairs_reach_the_exact_optimum_on_small_programmes(seed: int) -> None:
    crowd = people(60, seed, mentors=0.2)
    problem = Problem(crowd, trio_for_odd=False, seed=seed)
    outcome = match(problem)
    features = Features(problem)
    everyone = np.arange(len(crowd))
    weights = weights_between(features, everyone, everyone)
    graph = nx.Graph()
    for i, j in zip(*np.nonzero(np.triu(weights, 1) > 0), strict=True):
        graph.add_edge(int(features.ids[i]), int(features.ids[j]), weight=float(weights[i, j]))
    best = nx.max_weight_matching(graph)
    optimum = sum(graph[a][b]["weight"] for a, b in best)
    assert outcome.weight >= 0.995 * optimum
    assert outcome.upper_bound is not None
    assert outcome.weight <= outcome.upper_bound + 1e-6


def test_two_left_alone_who_cannot_pair_together_split_a_pair_between_them() -> None:
    from bot.matching.scoring import Features
    from bot.matching.solver import _split_pairs_for_alone

    roomless = Candidate(1, is_mentor=True, mentee_room=0)
    mentee = Candidate(2)
    other_mentor = Candidate(3, is_mentor=True, mentee_room=1)
    other_mentee = Candidate(4)
    features = Features(Problem((roomless, mentee, other_mentor, other_mentee)))
    mate = np.array([-1, -1, 3, 2])  # the other mentor and mentee are paired
    _split_pairs_for_alone(features, mate)
    assert mate.tolist() == [2, 3, 0, 1]

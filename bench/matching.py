"""How good, fast and lean one round of pair matching is (`bot.matching.match`).

Measures, on generated programmes that look like real ones (deterministic from a seed):
- quality at 200, 500 and 1,000 people: our total weight as a share of the exact optimum
  (networkx's blossom algorithm on the full graph of every allowed pair);
- quality at 10,000 people: our total weight as a share of a proven upper bound on the full graph
  (half the assignment relaxation on the dense 10,000 × 10,000 weight matrix);
- speed and memory at 10,000 people, in a fresh process: `match` alone (it builds its own
  graph), median of 3 runs, peak RSS and the RSS growth over the process after generation;
- a baseline of what other tools do (random pairs that avoid recent repeats) on the same data:
  its weight, repeats and broken hard rules next to ours.

Targets: at least 99.5% of the optimum (or bound) everywhere, no hard rule ever broken, and a
10,000-person round under 2 s and 500 MB on a 2-core machine.

Run: make bench   (or .venv/bin/python -m bench.matching)
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.population import SEED, generate
from bench.yardstick import (
    Tally,
    assignment_relaxation,
    exact_optimum,
    full_matrix,
    our_pairs,
    random_pairs,
    say,
    tally,
)
from bot.matching import match
from bot.matching.scoring import Features

Matrix = npt.NDArray[np.float64]

SIZES = (200, 500, 1_000, 10_000)
RUNS = 3
QUALITY_TARGET = 0.995
SECONDS_TARGET = 2.0
MEGABYTES_TARGET = 500.0

# --- one programme size --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    """Everything measured at one size. `optimum` is None where blossom is too slow; `bound` is
    always a proven upper bound on the full graph; `found` a real matching's weight (so the
    optimum lies between `found` and `bound`)."""

    n: int
    mentors: int
    recent_pairs: int
    blocked_pairs: int
    ours: Tally
    baseline: Tally
    optimum: float | None
    bound: float
    found: float
    sparse_bound: float | None
    match_seconds: float
    yardstick_seconds: float

    @property
    def reference(self) -> float:
        """What we are measured against: the optimum where known, else the proven bound."""
        return self.optimum if self.optimum is not None else self.bound


def measure_quality(n: int, seed: int, exact_up_to: int) -> Quality:
    """One programme: our round, the baseline's, and the yardsticks on the full graph."""
    problem = generate(n, seed)
    features = Features(problem)
    gc.collect()
    start = time.perf_counter()
    outcome = match(problem)
    match_seconds = time.perf_counter() - start
    ours = tally(features, our_pairs(outcome, problem))
    if abs(ours.weight - outcome.weight) > 1e-3 * max(1.0, ours.weight):
        raise AssertionError(f"n={n}: groups say {outcome.weight}, the scoring says {ours.weight}")
    baseline = tally(features, random_pairs(problem, seed))
    say(f"n={n}: ours {ours.weight:,.0f} in {match_seconds:.2f} s, baseline {baseline.weight:,.0f}")
    start = time.perf_counter()
    weights = full_matrix(features, f"n={n}")
    bound, found = assignment_relaxation(weights)
    say(f"n={n}: assignment bound {bound:,.1f}, its rounding {found:,.0f}")
    optimum = None
    if n <= exact_up_to:
        say(f"n={n}: exact optimum by blossom (networkx; about 2-3 min at 1,000)")
        optimum = exact_optimum(weights)
        say(f"n={n}: optimum {optimum:,.0f}")
    yardstick_seconds = time.perf_counter() - start
    return Quality(
        n=n,
        mentors=int(features.mentor.sum()),
        recent_pairs=len(problem.recent),
        blocked_pairs=len(problem.blocked),
        ours=ours,
        baseline=baseline,
        optimum=optimum,
        bound=bound,
        found=max(found, ours.weight, optimum or 0.0),
        sparse_bound=outcome.upper_bound,
        match_seconds=match_seconds,
        yardstick_seconds=yardstick_seconds,
    )


# --- speed and memory, in a fresh process --------------------------------------------------------


@dataclass(frozen=True)
class Footprint:
    """`match` at one size in a process of its own: seconds per run, the process's peak RSS, and
    its RSS once imports and generation were done."""

    seconds: list[float]
    peak_mb: float
    baseline_mb: float

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.baseline_mb


def measure_footprint(n: int, seed: int) -> Footprint:
    """Run `footprint_child` in a new interpreter and read its one line of JSON."""
    say(f"n={n}: speed and memory in a fresh process ({RUNS} runs)")
    done = subprocess.run(
        [sys.executable, "-m", "bench.matching", "--footprint", str(n), "--seed", str(seed)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return Footprint(**json.loads(done.stdout.strip().splitlines()[-1]))


def footprint_child(n: int, seed: int) -> None:
    """Generate, note the resident memory, then time `match` RUNS times; print it as JSON."""
    problem = generate(n, seed)
    gc.collect()
    baseline_mb = _resident_mb()
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        match(problem)
        seconds.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "baseline_mb": baseline_mb}))


def _resident_mb() -> float:
    """The process's resident memory now (Linux: /proc/self/statm counts pages)."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * resource.getpagesize() / 2**20


# --- the report ----------------------------------------------------------------------------------


def table(results: list[Quality], footprint: Footprint | None) -> str:
    """All numbers as one markdown table, a column per programme size."""
    rows: list[tuple[str, list[str]]] = [
        ("mentors, pairs met in the last 6 rounds, blocked pairs", _cells(results, _programme)),
        ("**ours: total weight**", _cells(results, lambda q: _num(q.ours.weight))),
        ("exact optimum on the full graph (blossom)", _cells(results, lambda q: _maybe(q.optimum))),
        ("proven upper bound on the full graph (assignment / 2)", _cells(results, _bound)),
        ("heaviest matching known on the full graph", _cells(results, lambda q: _num(q.found))),
        ("**ours, share of the optimum (where unknown: of the bound)**", _cells(results, _share)),
        ("ours, share of the heaviest matching known", _cells(results, _share_of_found)),
        (
            "`outcome.upper_bound`: our sparse graph's relaxation, not a bound on the full graph",
            _cells(results, lambda q: _maybe(q.sparse_bound)),
        ),
        ("ours: repeats / broken hard rules / left alone", _cells(results, _our_rules)),
        ("random pairs avoiding repeats: total weight (share)", _cells(results, _baseline)),
        ("random pairs: repeats / broken hard rules / left alone", _cells(results, _their_rules)),
        ("`match`, one run in this process (s)", _cells(results, _match_seconds)),
        ("yardsticks on the full graph (s)", _cells(results, _yardstick_seconds)),
    ]
    if footprint is not None:
        blank = [""] * (len(results) - 1)
        runs = ", ".join(f"{s:.2f}" for s in footprint.seconds)
        rows += [
            (
                f"`match` in a fresh process, median of {RUNS} runs (s; target < 2)",
                [*blank, f"**{statistics.median(footprint.seconds):.2f}** ({runs})"],
            ),
            ("its peak RSS (MB; target < 500)", [*blank, f"**{footprint.peak_mb:.0f}**"]),
            ("its RSS growth over imports and generation (MB)", [*blank, _mb(footprint)]),
        ]
    lines = [
        "| measure | " + " | ".join(f"{q.n:,} people" for q in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return "\n".join(lines)


def _cells(results: list[Quality], cell: Callable[[Quality], str]) -> list[str]:
    return [cell(q) for q in results]


def missed_targets(results: list[Quality], footprint: Footprint | None) -> list[str]:
    """Every target a run missed, said with its numbers."""
    missed = []
    for q in results:
        share = q.ours.weight / q.reference
        if share < QUALITY_TARGET:
            missed.append(
                f"n={q.n:,}: ours {q.ours.weight:,.0f} is {share:.2%} of {q.reference:,.1f}"
            )
        if q.ours.broken or q.ours.alone:
            missed.append(f"n={q.n:,}: ours broke {q.ours.broken} rules, left {q.ours.alone} alone")
    if footprint is not None:
        median = statistics.median(footprint.seconds)
        if median >= SECONDS_TARGET:
            runs = ", ".join(f"{s:.2f}" for s in footprint.seconds)
            missed.append(f"largest size: median {median:.2f} s (runs {runs})")
        if footprint.peak_mb >= MEGABYTES_TARGET:
            missed.append(f"largest size: peak RSS {footprint.peak_mb:.0f} MB")
    return missed


def _programme(q: Quality) -> str:
    return f"{q.mentors:,}, {q.recent_pairs:,}, {q.blocked_pairs}"


def _num(value: float) -> str:
    return f"{value:,.1f}" if value % 1 else f"{value:,.0f}"


def _maybe(value: float | None) -> str:
    return "—" if value is None else _num(value)


def _share(q: Quality) -> str:
    return f"{q.ours.weight / q.reference:.2%}"


def _share_of_found(q: Quality) -> str:
    return f"{q.ours.weight / q.found:.2%}"


def _bound(q: Quality) -> str:
    return _num(q.bound)


def _our_rules(q: Quality) -> str:
    return _rules(q.ours)


def _their_rules(q: Quality) -> str:
    return _rules(q.baseline)


def _match_seconds(q: Quality) -> str:
    return f"{q.match_seconds:.2f}"


def _yardstick_seconds(q: Quality) -> str:
    return f"{q.yardstick_seconds:.1f}"


def _mb(footprint: Footprint) -> str:
    return f"{footprint.growth_mb:.0f} (from {footprint.baseline_mb:.0f})"


def _baseline(q: Quality) -> str:
    return f"{q.baseline.weight:,.0f} ({q.baseline.weight / q.reference:.1%})"


def _rules(t: Tally) -> str:
    return f"{t.repeats:,} / {t.broken} / {t.alone}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--exact-up-to", type=int, default=1_000)
    parser.add_argument("--footprint", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.footprint:
        footprint_child(args.footprint, args.seed)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    started = time.perf_counter()
    footprint = measure_footprint(max(sizes), args.seed) if max(sizes) >= 10_000 else None
    results = [measure_quality(n, args.seed, args.exact_up_to) for n in sizes]
    print(table(results, footprint))
    missed = missed_targets(results, footprint)
    if missed:
        print()
    for line in missed:
        print(f"- missed: {line}")
    say(f"done in {time.perf_counter() - started:.0f} s")
    if any(q.ours.broken for q in results):
        raise SystemExit("our matching broke a hard rule")


if __name__ == "__main__":
    main()

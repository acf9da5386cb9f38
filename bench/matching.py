"""How good, fast and lean one round of pair matching is (`bot.matching.match`), on every shape of
programme in `bench/shapes.py`, each drawn from its own seed.

Measures, for each shape:
- quality at 200, 500 and 1,000 people: our total weight as a share of the exact optimum
  (networkx's blossom algorithm on the full graph of every allowed pair);
- quality at 5,000 and 10,000 people: our total weight as a share of a proven upper bound on the
  full graph (half the assignment relaxation on the dense weight matrix);
- hard rules broken, and people left alone beside an allowed partner who is alone too;
- speed and memory at the largest size, in fresh processes: `match` alone (it builds its own
  graph), 3 runs in each of `--repeats` processes, the median over all runs and the peak RSS;
- a baseline of what other tools do (random pairs that avoid recent repeats) on the same data.

Targets: at least 99.5% of the optimum (or bound) on every shape and size, no hard rule broken,
nobody stranded, and a 10,000-person round under 1.5 s and 400 MB on a 2-core machine.

Run: make bench   (or .venv/bin/python -m bench.matching [--shapes sparse,global] [--sizes 800])
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.matching_report import (
    MEGABYTES_TARGET,
    SECONDS_TARGET,
    Footprint,
    Quality,
    footprint_table,
    missed_targets,
    quality_table,
    summary,
)
from bench.population import generate
from bench.shapes import SHAPES
from bench.yardstick import (
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

__all__ = ["MEGABYTES_TARGET", "SECONDS_TARGET", "measure_footprint", "measure_quality"]

SIZES = (200, 500, 1_000, 5_000, 10_000)
RUNS = 3


def measure_quality(shape: str, n: int, exact_up_to: int) -> Quality:
    """One programme: our round, the baseline's, and the yardsticks on the full graph."""
    problem = generate(n, SHAPES[shape])
    features = Features(problem)
    gc.collect()
    start = time.perf_counter()
    outcome = match(problem)
    match_seconds = time.perf_counter() - start
    ours = tally(features, our_pairs(outcome, problem))
    if abs(ours.weight - outcome.weight) > 1e-3 * max(1.0, ours.weight):
        raise AssertionError(f"{shape} n={n}: groups say {outcome.weight}, scoring {ours.weight}")
    baseline = tally(features, random_pairs(problem, SHAPES[shape].seed))
    label = f"{shape} n={n}"
    say(f"{label}: ours {ours.weight:,.0f} in {match_seconds:.2f} s")
    weights = full_matrix(features, label)
    bound, _ = assignment_relaxation(weights)
    optimum = None
    if n <= exact_up_to:
        say(f"{label}: exact optimum by blossom (networkx; about 2-3 min at 1,000)")
        optimum = exact_optimum(weights)
    del weights
    quality = Quality(
        shape=shape,
        n=n,
        mentors=int(features.mentor.sum()),
        blocked_pairs=len(problem.blocked),
        ours=ours,
        baseline=baseline,
        optimum=optimum,
        bound=bound,
        match_seconds=match_seconds,
    )
    say(f"{label}: {quality.share:.3%} of {quality.reference:,.1f}, stranded {ours.stranded}")
    return quality


def measure_footprint(shape: str, n: int, repeats: int) -> Footprint:
    """Run `footprint_child` in `repeats` new interpreters, one after another."""
    seconds: list[float] = []
    peaks, baselines = [], []
    for repeat in range(repeats):
        say(f"{shape} n={n}: speed and memory in a fresh process ({repeat + 1}/{repeats})")
        done = subprocess.run(
            [sys.executable, "-m", "bench.matching", "--footprint", str(n), "--shapes", shape],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            check=True,
        )
        child = json.loads(done.stdout.strip().splitlines()[-1])
        seconds += child["seconds"]
        peaks.append(child["peak_mb"])
        baselines.append(child["baseline_mb"])
    return Footprint(shape, n, seconds, max(peaks), min(baselines))


def footprint_child(shape: str, n: int) -> None:
    """Generate, note the resident memory, then time `match` RUNS times; print it as JSON."""
    problem = generate(n, SHAPES[shape])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--exact-up-to", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=2, help="fresh processes per footprint")
    parser.add_argument("--speed-only", action="store_true", help="only the fresh-process timing")
    parser.add_argument("--footprint", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    shapes = args.shapes.split(",")
    unknown = sorted(set(shapes) - set(SHAPES))
    if unknown:
        parser.error(f"unknown shapes {unknown}; known: {', '.join(SHAPES)}")
    if args.footprint:
        footprint_child(shapes[0], args.footprint)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    started = time.perf_counter()
    largest = max(sizes)
    footprints = (
        [measure_footprint(shape, largest, args.repeats) for shape in shapes]
        if largest >= 10_000
        else []
    )
    if args.speed_only:
        print(footprint_table(footprints))
        return
    results = [measure_quality(shape, n, args.exact_up_to) for shape in shapes for n in sizes]
    print(summary(results, footprints), end="\n\n")
    print(quality_table(results))
    if footprints:
        print()
        print(footprint_table(footprints))
    missed = missed_targets(results, footprints)
    if missed:
        print()
    for line in missed:
        print(f"- missed: {line}")
    say(f"done in {time.perf_counter() - started:.0f} s")
    if any(q.ours.broken for q in results):
        raise SystemExit("our matching broke a hard rule")


if __name__ == "__main__":
    main()

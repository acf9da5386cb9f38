"""The matching benchmark's numbers as markdown: the worst shape first, one table of quality over
every shape and size, one of speed and memory at the largest size, and every missed target."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.yardstick import Tally

QUALITY_TARGET = 0.995
SECONDS_TARGET = 1.5
MEGABYTES_TARGET = 400.0


@dataclass(frozen=True)
class Quality:
    """One shape at one size. `optimum` is None where blossom is too slow; `bound` is always a
    proven upper bound on the full graph."""

    shape: str
    n: int
    mentors: int
    blocked_pairs: int
    ours: Tally
    baseline: Tally
    optimum: float | None
    bound: float
    match_seconds: float

    @property
    def reference(self) -> float:
        """What we are measured against: the optimum where known, else the proven bound."""
        return self.optimum if self.optimum is not None else self.bound

    @property
    def share(self) -> float:
        return self.ours.weight / self.reference


@dataclass(frozen=True)
class Footprint:
    """`match` at one size in processes of their own: seconds per run over every process, the
    largest peak RSS, and the RSS once imports and generation were done."""

    shape: str
    n: int
    seconds: list[float]
    peak_mb: float
    baseline_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def worst(results: list[Quality]) -> Quality:
    return min(results, key=lambda q: (q.share, q.shape, q.n))


def summary(results: list[Quality], footprints: list[Footprint]) -> str:
    """The worst numbers, said first."""
    low = worst(results)
    lines = [
        f"- worst share: **{low.share:.2%}** ({low.shape}, {low.n:,} people, of the "
        f"{'exact optimum' if low.optimum is not None else 'proven bound'})",
        f"- broken hard rules, most in one round: **{max(q.ours.broken for q in results)}**; "
        f"left alone beside an allowed partner also alone, most: "
        f"**{max(q.ours.stranded for q in results)}**",
    ]
    if footprints:
        slow = max(footprints, key=lambda p: p.median)
        big = max(footprints, key=lambda p: p.peak_mb)
        lines.append(
            f"- slowest round of {slow.n:,}: median **{slow.median:.2f} s** ({slow.shape}); "
            f"largest peak: **{big.peak_mb:.0f} MB** ({big.shape})"
        )
    return "\n".join(lines)


def quality_table(results: list[Quality]) -> str:
    low = worst(results)
    lines = [
        "| shape | people | mentors, blocked pairs | ours | optimum (blossom) | proven bound "
        "| **share** | repeats / broken / alone / stranded | random pairs: share, broken "
        "| `match` (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for q in results:
        share = f"{q.share:.2%}"
        lines.append(
            f"| {'**' + q.shape + '**' if q.shape == low.shape else q.shape} | {q.n:,} "
            f"| {q.mentors:,}, {q.blocked_pairs:,} | {_num(q.ours.weight)} "
            f"| {'—' if q.optimum is None else _num(q.optimum)} | {_num(q.bound)} "
            f"| {'**' + share + '**' if q is low else share} "
            f"| {q.ours.repeats:,} / {q.ours.broken} / {q.ours.alone} / {q.ours.stranded} "
            f"| {q.baseline.weight / q.reference:.1%}, {q.baseline.broken} "
            f"| {q.match_seconds:.2f} |"
        )
    return "\n".join(lines)


def footprint_table(footprints: list[Footprint]) -> str:
    lines = [
        f"| shape | people | `match` in a fresh process: median (s; target < {SECONDS_TARGET:g}) "
        f"| runs (s) | peak RSS (MB; target < {MEGABYTES_TARGET:.0f}) "
        "| RSS after imports and generation (MB) |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for p in footprints:
        runs = ", ".join(f"{s:.2f}" for s in p.seconds)
        lines.append(
            f"| {p.shape} | {p.n:,} | **{p.median:.2f}** | {runs} | **{p.peak_mb:.0f}** "
            f"| {p.baseline_mb:.0f} |"
        )
    return "\n".join(lines)


def missed_targets(results: list[Quality], footprints: list[Footprint]) -> list[str]:
    """Every target a run missed, said with its numbers."""
    missed = []
    for q in results:
        where = f"{q.shape}, n={q.n:,}"
        if q.share < QUALITY_TARGET:
            missed.append(
                f"{where}: ours {q.ours.weight:,.0f} is {q.share:.2%} of {q.reference:,.1f}"
            )
        if q.ours.broken or q.ours.stranded:
            missed.append(
                f"{where}: broke {q.ours.broken} rules, left {q.ours.stranded} alone beside "
                "an allowed partner"
            )
    for p in footprints:
        if p.median >= SECONDS_TARGET:
            missed.append(f"{p.shape}, n={p.n:,}: median {p.median:.2f} s")
        if p.peak_mb >= MEGABYTES_TARGET:
            missed.append(f"{p.shape}, n={p.n:,}: peak RSS {p.peak_mb:.0f} MB")
    return missed


def _num(value: float) -> str:
    return f"{value:,.1f}" if value % 1 else f"{value:,.0f}"

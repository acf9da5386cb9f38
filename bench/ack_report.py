"""The Slack acknowledgement benchmark's report: percentiles, the table, and writing it into
docs/benchmarks.md between its markers."""

from __future__ import annotations

import statistics

from bench.ack_client import (
    Target,
)
from bench.results_page import write_block

TARGET_RATIO = 1.5


# -- the report -----------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):,.0f} / {max(samples):,.0f}" if samples else "—"


def table(targets: list[Target], rounds: int) -> str:
    """The markdown table, and under it each of ours against the bare app."""
    lines = [
        "| target | requests | ack p50 ms | ack p99 ms | ack max ms | median round's p99 ms "
        f"| acks not 200 | replies done, ms (median / max of {rounds} rounds) "
        '| all settled, ms (same) | answered privately, of them "went wrong" |',
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in targets:
        answered = f"{t.answered:,} of {t.sent:,}, {t.went_wrong}" if t.adapter else "—"
        lines.append(
            f"| {t.name} | {t.sent:,} | {statistics.median(t.latencies):.1f} "
            f"| {percentile(t.latencies, 0.99):.1f} | {max(t.latencies):.1f} "
            f"| {statistics.median(t.round_p99s):.1f} | {t.sent - t.statuses[200]} "
            f"| {_spread(t.replies_done)} | {_spread(t.all_done)} | {answered} |"
        )
    bare = next(t for t in targets if t.adapter is None)
    lines.append("")
    for t in targets:
        if t.adapter is None:
            continue
        p99 = percentile(t.latencies, 0.99) / percentile(bare.latencies, 0.99)
        p50 = statistics.median(t.latencies) / statistics.median(bare.latencies)
        typical = statistics.median(t.round_p99s) / statistics.median(bare.round_p99s)
        verdict = "within" if p99 <= TARGET_RATIO else "**not within**"
        lines.append(
            f"- {t.name}: p99 ours / p99 bare = **{p99:.2f}**, {verdict} the target of "
            f"{TARGET_RATIO} (p50: {p50:.2f}; median round's p99: {typical:.2f})"
        )
    return "\n".join(lines)


def write_docs(markdown: str) -> None:
    write_block("slack-ack", markdown)

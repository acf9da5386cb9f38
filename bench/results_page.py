"""docs/benchmarks.md, where each benchmark writes its table between its own two markers.

Rule: only the text between `<!-- name:begin -->` and `<!-- name:end -->` is replaced; a page
without the markers is left alone and the benchmark says so.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_block(name: str, markdown: str) -> None:
    """Put `markdown` between the `name` markers of docs/benchmarks.md."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = DOCS.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{DOCS} has no {begin} ... {end} block to fill")
    block = f"{begin}\n{markdown}\n{end}"
    DOCS.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")


def measures_table(results: dict[str, dict[str, str]]) -> str:
    """A row per measure, a column per run: `results` maps each run's name to its measures."""
    rows = list(next(iter(results.values())))
    lines = ["| measure | " + " | ".join(results) + " |", "|---|" + "---:|" * len(results)]
    lines += [f"| {row} | " + " | ".join(r[row] for r in results.values()) + " |" for row in rows]
    return "\n".join(lines)


def runs_table(results: dict[str, dict[str, str]], first: str) -> str:
    """A row per run, a column per measure; `first` heads the runs' column."""
    measures = list(next(iter(results.values())))
    lines = [f"| {first} | " + " | ".join(measures) + " |", "|---|" + "---:|" * len(measures)]
    lines += [f"| {run} | " + " | ".join(r.values()) + " |" for run, r in results.items()]
    return "\n".join(lines)

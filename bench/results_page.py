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

"""The bot's own code blocks, kept apart from the rest of a text when it is drawn.

Rule: a code block is what lies between two lines that are exactly ``` (how the core writes
one, a table in the stats); three backticks anywhere else are text like any other, so a member
who types them inside a line opens no block. A block never closed runs to the end.
"""

from __future__ import annotations

from collections.abc import Callable

FENCE = "```"


def outside_code_blocks(text: str, draw: Callable[[str], str]) -> str:
    """`text` with `draw` applied to each run of lines outside its code blocks; the blocks, their
    fences and the line breaks are kept as they are."""
    runs: list[tuple[bool, list[str]]] = []  # (drawn, lines)
    inside = False
    for line in text.split("\n"):
        fence = line.strip() == FENCE
        drawn = not inside and not fence
        if not runs or runs[-1][0] != drawn:
            runs.append((drawn, []))
        runs[-1][1].append(line)
        inside = inside != fence
    return "\n".join(draw("\n".join(lines)) if drawn else "\n".join(lines) for drawn, lines in runs)

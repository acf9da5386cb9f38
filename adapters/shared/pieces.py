"""A text too long for one message or block, in pieces a platform takes.

Rule: pieces are cut between lines; a line longer than a piece is cut between words, or where
it must; a cut never falls inside markup (`<@U1>`, `</help:1>`, `<#C1|name>`), so no piece shows
half a mention. Shown one after another, the pieces read as the text.
"""

from __future__ import annotations


def pieces(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            cut = _cut(line, limit)
            out.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current or not out:
        out.append(current)
    return out


def _cut(line: str, limit: int) -> int:
    """Where to cut a line longer than `limit`: after its last space, before any markup the
    cut would break, else at `limit`."""
    head = line[:limit]
    opened = head.rfind("<")
    if opened > 0 and opened > head.rfind(">"):
        head = head[:opened]
    space = head.rfind(" ")
    return space + 1 if space > 0 else len(head) or limit

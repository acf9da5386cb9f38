"""Messages that name members, written so that erasing one of them finds what is theirs by who
they are, never by their name's text (which may have changed since, or been cut to fit).

Rules:
- a writer composes a message piece by piece; each piece about a member (their name, what they
  wrote, a line about them) is recorded as a `Mention` of that member spanning exactly the
  characters written, so mentions never overlap;
- erasing a member puts each of their mentions' `instead` (or the erased members' label) in its
  place and moves everyone else's mentions along with their text; nothing else in the text
  changes. A mention that does not fit the text (it cannot come from a `Composer`) is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.kernel.model import Mention


class Composer:
    """A message's text and its mentions, built in order."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._mentions: list[Mention] = []

    def add(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def about(self, member_id: int, text: str, instead: str | None = None) -> None:
        """Add `text`, as being about that member."""
        if text:
            end = self._length + len(text)
            self._mentions.append(Mention(member_id, self._length, end, instead))
        self.add(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(self._mentions)


def without_member(
    text: str, mentions: Sequence[Mention], member_id: int, label: str
) -> tuple[str, tuple[Mention, ...]]:
    """`text` with each of the member's mentions replaced, and the others' mentions where their
    parts are now."""
    fitting = sorted(
        (m for m in mentions if m.member_id == member_id and 0 <= m.start < m.end <= len(text)),
        key=lambda m: m.start,
    )
    pieces: list[str] = []
    shifts: list[tuple[int, int, int]] = []  # (start, end, change in length)
    cursor = 0
    for mention in fitting:
        if mention.start < cursor:
            continue
        instead = label if mention.instead is None else mention.instead
        pieces += [text[cursor : mention.start], instead]
        shifts.append((mention.start, mention.end, len(instead) - (mention.end - mention.start)))
        cursor = mention.end
    pieces.append(text[cursor:])

    def moved(position: int) -> int:
        return position + sum(change for _, end, change in shifts if end <= position)

    kept = tuple(
        replace(m, start=moved(m.start), end=moved(m.end))
        for m in mentions
        if m.member_id != member_id and not any(m.start < e and s < m.end for s, e, _ in shifts)
    )
    return "".join(pieces), kept

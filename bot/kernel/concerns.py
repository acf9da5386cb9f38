"""How a concern reaches the moderators: never refused, never lost, never buried.

Rules:
- a concern is any words at all: from /flag, from a check-in marked as a concern, or from a
  check-in marked as a concern that could not take the answers (none open, closed, out of date,
  too many or too long answers); it is stored whole as a Flag, however long it is;
- it goes by DM to every moderator, with who raised it and where, ahead of every routine message
  waiting in the outbox (`Priority.CONCERN`), and whatever their quiet hours;
- a member's first concern in a WINDOW goes at once; a text longer than one DM goes in parts, up
  to MAX_PARTS, and past that the last part says it was shortened and that the whole text is
  kept under the concern's number;
- their later concerns in the same WINDOW are stored, and added to one DM per moderator that goes
  when the WINDOW ends, each shown up to ENTRY_SHOWN characters (with the same note when it is
  longer); when that DM is full they go in the next WINDOW's. So however many a member sends,
  each moderator gets from them, per WINDOW, one concern at once (in up to MAX_PARTS parts) and
  one gathering DM, and every concern is in one of them;
- a check-in marked as a concern with no words at all still tells the moderators so;
- with no moderator set up it is kept, and the member is told to speak to someone directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import Enum

from bot.kernel.context import Context
from bot.kernel.local_time import zone_of
from bot.kernel.mentions import Composer
from bot.kernel.model import (
    Destination,
    Flag,
    NewFlag,
    NewMember,
    OutgoingMessage,
    Priority,
)
from bot.kernel.moderators import moderators_of
from bot.kernel.text import neutralise

DM_LIMIT = 1900
"""Characters of one DM, within Discord's 2,000 (Slack takes more)."""
MAX_PARTS = 4
"""DMs a member's first concern in a window may take: about 7,000 characters of it."""
WINDOW = timedelta(minutes=2)
"""A member's concerns after their first in this long are gathered into one DM at its end."""
ENTRY_SHOWN = 1000
"""Characters of a gathered concern shown in the DM that gathers it: as much as /flag ever took,
so no concern that used to reach the moderators whole is shortened now."""
NO_MODERATOR = (
    "No moderator is set up in this workspace yet, so nobody could be told. Please speak to a "
    "moderator or a trusted adult directly."
)
NO_WORDS = "(They marked it as a concern but wrote nothing. You may want to check in with them.)"
SAVED = f"Your concern is saved. {NO_MODERATOR}"
ERASED_WORDS = "(erased)"
WHOLE = 10**9
"""A length no text reaches: `neutralise` then defuses pings without cutting anything."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Told(Enum):
    """How the moderators hear of a concern."""

    NOBODY = "nobody"
    """No moderator is set up: it is kept, and nobody could be told."""
    NOW = "now"
    """It went at once."""
    SOON = "soon"
    """It goes with the member's other recent concerns when the window ends."""


async def flag_on_its_own(ctx: Context, text: str) -> Told:
    """Raise `text` as a concern of the member's, recorded under their circle if they are in
    just one."""
    circle_ids = sorted(await ctx.uow.circles.circle_ids_of(ctx.me.id))
    circles = [c for c in [await ctx.uow.circles.get(i) for i in circle_ids] if c]
    where = ", ".join(c.name for c in circles) or None
    circle_id = circles[0].id if len(circles) == 1 else None
    flag = NewFlag(ctx.me.ref.workspace, ctx.me, text, ctx.now, circle_id)
    return await raise_concern(ctx, flag, where, words(text))


async def raise_concern(ctx: Context, new: NewFlag, where: str | None, shown: str) -> Told:
    """Store the flag and queue `shown` (what the moderators read: the words, or a check-in's
    questions and answers) for every moderator, at once or gathered, as the module says."""
    flag = await ctx.uow.flags.add(new)
    moderators = await moderators_of(ctx.uow, ctx.me.ref.workspace, ctx.settings)
    if not moderators:
        return Told.NOBODY
    at_once = [await _tell(ctx, m, flag, where, shown) for m in moderators]
    return Told.NOW if any(at_once) else Told.SOON


def words(text: str) -> str:
    """What a member typed, shown whole with every ping defused."""
    return neutralise(text, WHOLE) or NO_WORDS


def questions_and_answers(questions: Sequence[str], answers: Sequence[str]) -> str:
    """A check-in's questions, each with its answer quoted whole (pings defused)."""
    if not any(answers):
        return NO_WORDS
    return "\n".join(
        f"{q}\n> {neutralise(a, WHOLE) or '(no answer)'}"
        for q, a in zip(questions, answers, strict=False)
    )


async def _tell(
    ctx: Context, moderator: NewMember, flag: Flag, where: str | None, shown: str
) -> bool:
    """Queue the concern for one moderator: at once when it is the member's first in this
    window (whether it went at once), else in the window's gathering DM."""
    window = _window_start(ctx.now)
    stream = f"{_stream(flag)}:{_stamp(window)}"
    to, user = Destination.dm(moderator.ref), moderator.ref.user_id
    keys = [f"{stream}:to:{user}"] + [
        f"{stream}:part{n}:to:{user}" for n in range(2, 1 + MAX_PARTS)
    ]
    parts = [
        OutgoingMessage(key, to, part.text, mentions=part.mentions, priority=Priority.CONCERN)
        for key, part in zip(keys, concern_dms(flag, where, shown), strict=False)
    ]
    if await ctx.uow.outbox.add(parts[0], ctx.now):
        await ctx.uow.outbox.add_all(parts[1:], ctx.now)
        return True
    await _gather(ctx, moderator, flag, where, shown, window)
    return False


async def _gather(
    ctx: Context, moderator: NewMember, flag: Flag, where: str | None, shown: str, window: datetime
) -> None:
    """Add the concern to the gathering DM of this window, or of the first one after it that
    still has room; one that another command starts meanwhile is added to, not passed over."""
    entry = _entry(Composer(), flag, where, shown, moderator, ctx)
    start = window
    while True:
        key = f"{_stream(flag)}:{_stamp(start)}:more:to:{moderator.ref.user_id}"
        added = await ctx.uow.outbox.append(key, entry.text, entry.mentions, DM_LIMIT)
        if added:
            return
        if added is False:  # full, or on its way: the next window's
            start += WINDOW
        else:  # none yet: start it (or, if another command just did, add to that one)
            gathering = _gathering(key, start + WINDOW, moderator, flag, where, shown, ctx)
            if await ctx.uow.outbox.add(gathering, ctx.now):
                return


def _gathering(
    key: str,
    due: datetime,
    moderator: NewMember,
    flag: Flag,
    where: str | None,
    shown: str,
    ctx: Context,
) -> OutgoingMessage:
    """A new gathering DM under `key`, with this concern in it, due when its window ends."""
    dm = Composer()
    dm.add("More from ")
    dm.about(flag.member.id, _name(flag))
    dm.add(
        " (only moderators get this): concerns raised since their last one reached you. "
        "Each is kept whole under its number."
    )
    _entry(dm, flag, where, shown, moderator, ctx)
    to = Destination.dm(moderator.ref)
    return OutgoingMessage(key, to, dm.text, due, mentions=dm.mentions, priority=Priority.CONCERN)


def concern_dms(flag: Flag, where: str | None, shown: str) -> list[Composer]:
    """The DMs that carry one concern: one, or numbered parts; the last part of a text too long
    for MAX_PARTS says it was shortened and that the whole text is kept."""
    place = f" in {neutralise(where, 200)}" if where else ""
    tail = f"{place} (only moderators get this)"
    room = DM_LIMIT - len(f"Concern from {_name(flag)}{tail}, part {MAX_PARTS} of {MAX_PARTS}:\n")
    pieces = _pieces(shown, room)
    note = ""
    if len(pieces) > MAX_PARTS:
        note = _shortened_note(flag)
        pieces = pieces[:MAX_PARTS]
        pieces[-1] = pieces[-1][: room - len(note)]
    dms = []
    for n, piece in enumerate(pieces, 1):
        dm = Composer()
        dm.add("Concern from ")
        dm.about(flag.member.id, _name(flag))
        dm.add(f"{tail}, part {n} of {len(pieces)}:\n" if len(pieces) > 1 else f"{tail}:\n")
        dm.about(flag.member.id, piece, ERASED_WORDS)
        dms.append(dm)
    dms[-1].add(note)
    return dms


def _entry(
    dm: Composer, flag: Flag, where: str | None, shown: str, moderator: NewMember, ctx: Context
) -> Composer:
    """Write one gathered concern into `dm`: its number, time (the moderator's) and place, then
    its words, shortened past ENTRY_SHOWN with a note saying so."""
    at = flag.created_at.astimezone(zone_of(moderator, ctx.settings))
    place = f" in {neutralise(where, 200)}" if where else ""
    dm.add(f"\n\n#{flag.id}, {at:%H:%M}{place}: ")
    dm.about(flag.member.id, shown[:ENTRY_SHOWN], ERASED_WORDS)
    if len(shown) > ENTRY_SHOWN:
        dm.add(_shortened_note(flag))
    return dm


def _shortened_note(flag: Flag) -> str:
    return (
        f"\n(Shortened here. The whole text, {len(flag.text):,} characters, is kept as concern "
        f"#{flag.id}.)"
    )


def _pieces(text: str, room: int) -> list[str]:
    """`text` in pieces of at most `room` characters, cut at a line break or a space where one
    falls in the second half of a piece; no character is left out."""
    pieces = []
    while len(text) > room:
        cut = max(text.rfind("\n", room // 2, room), text.rfind(" ", room // 2, room))
        cut = cut if cut > 0 else room
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


def _name(flag: Flag) -> str:
    return neutralise(flag.member.display_name, 60)


def _stream(flag: Flag) -> str:
    """The start of the key of every DM about this member's concerns (erasure drops the ones
    still waiting by it)."""
    return f"concern:{flag.member.id}"


def _window_start(now: datetime) -> datetime:
    return _EPOCH + (now - _EPOCH) // WINDOW * WINDOW


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())

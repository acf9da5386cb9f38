"""How a concern reaches the moderators: never refused, never lost.

Rules:
- a concern is any words at all: from /flag, from a check-in marked as a concern, or from a
  check-in marked as a concern that could not take the answers (none open, closed, out of date,
  too many or too long answers); it is stored whole as a Flag, however long it is;
- it goes at once by DM to every moderator, with who raised it and where;
- a text longer than one DM goes in parts, up to MAX_PARTS; past that the last part says that it
  was shortened and that the whole text is kept under the concern's number;
- a check-in marked as a concern with no words at all still tells the moderators so;
- with no moderator set up it is kept, and the member is told to speak to someone directly.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.handlers.context import Context
from bot.model import Destination, Flag, Member, OutgoingMessage
from bot.moderators import moderators_of
from bot.text import neutralise

DM_LIMIT = 1900
"""Characters of one DM, within Discord's 2,000 (Slack takes more)."""
MAX_PARTS = 4
"""DMs one concern may take; about 7,000 characters of it."""
NO_MODERATOR = (
    "No moderator is set up in this workspace yet, so nobody could be told. Please speak to a "
    "moderator or a trusted adult directly."
)
NO_WORDS = "(They marked it as a concern but wrote nothing. You may want to check in with them.)"
SAVED = f"Your concern is saved. {NO_MODERATOR}"
WHOLE = 10**9
"""A length no text reaches: `neutralise` then defuses pings without cutting anything."""


async def flag_on_its_own(ctx: Context, text: str) -> bool:
    """Raise `text` as a concern of the member's, recorded under their circle if they are in
    just one; whether any moderator was there to tell."""
    assert ctx.me.id is not None
    circle_ids = sorted(await ctx.uow.circles.circle_ids_of(ctx.me.id))
    circles = [c for c in [await ctx.uow.circles.get(i) for i in circle_ids] if c]
    where = ", ".join(c.name for c in circles) or None
    circle_id = circles[0].id if len(circles) == 1 else None
    flag = Flag(ctx.me.ref.workspace, ctx.me, text, ctx.now, circle_id)
    return await raise_concern(ctx, flag, where, words(text))


async def raise_concern(ctx: Context, flag: Flag, where: str | None, shown: str) -> bool:
    """Store `flag` and queue `shown` (what the moderators read: the words, or a check-in's
    questions and answers) for every moderator; whether there was any moderator to tell."""
    flag = await ctx.uow.flags.add(flag)
    moderators = await moderators_of(ctx.uow, ctx.me.ref.workspace, ctx.settings)
    parts = concern_dms(flag, where, shown)
    for moderator in moderators:
        await ctx.uow.outbox.add_all(_to(moderator, flag, parts), ctx.now)
    return bool(moderators)


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


def concern_dms(flag: Flag, where: str | None, shown: str) -> list[str]:
    """The DMs that carry one concern: one, or numbered parts; the last part of a text too long
    for MAX_PARTS says it was shortened and that the whole text is kept."""
    place = f" in {neutralise(where, 200)}" if where else ""
    name = neutralise(flag.member.display_name, 60)
    heading = f"Concern from {name}{place} (only moderators get this)"
    room = DM_LIMIT - len(heading) - len(f", part {MAX_PARTS} of {MAX_PARTS}:\n")
    pieces = _pieces(shown, room)
    if len(pieces) > MAX_PARTS:
        note = _shortened_note(flag)
        pieces = pieces[:MAX_PARTS]
        pieces[-1] = pieces[-1][: room - len(note)] + note
    if len(pieces) == 1:
        return [f"{heading}:\n{pieces[0]}"]
    return [f"{heading}, part {n} of {len(pieces)}:\n{p}" for n, p in enumerate(pieces, 1)]


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


def _to(moderator: Member, flag: Flag, parts: list[str]) -> list[OutgoingMessage]:
    to, user = Destination.dm(moderator.ref), moderator.ref.user_id
    keys = [f"flag:{flag.id}:to:{user}"] + [
        f"flag:{flag.id}:part{n}:to:{user}" for n in range(2, len(parts) + 1)
    ]
    return [OutgoingMessage(key, to, text) for key, text in zip(keys, parts, strict=True)]

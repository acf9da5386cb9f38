"""The feedback commands: rating a meeting (`/feedback <rating> [@person] [note]`) and seeing
one's own average (`/feedback mine`).

Rules: the rating comes first, one word, a whole number (the person may come before it too, as
the "we met" buttons write it); the person may be left out when the member has one current
buddy they met; everything after them is the note, as typed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Command, CommandSpec, number, person, text
from bot.kernel.model import Actor
from bot.kernel.model.feedback import HIGHEST_SCORE, LOWEST_SCORE
from bot.kernel.parsing import Args, mention_user_id
from bot.kernel.text import neutralise
from bot.runtime.builders import no_words

NOTE_LIMIT = 500
"""The most characters a note may have."""
SCALE = f"{LOWEST_SCORE} to {HIGHEST_SCORE}"


@dataclass(frozen=True)
class RateMeeting(Command):
    user_id: str | None
    """The partner named; None for the one current partner the member met."""
    score: int
    note: str = ""


@dataclass(frozen=True)
class ShowMyFeedback(Command):
    pass


def _feedback(args: Args, actor: Actor) -> Command:
    user_id = _person(args)
    word = args.word(f"a rating from {SCALE}")
    if not word.isdecimal():
        raise args.fail(
            f"'{neutralise(word, 20)}' is not a rating: give a whole number from {SCALE}, "
            "as a digit (4, not four)."
        )
    user_id = user_id or _person(args)
    return RateMeeting(actor, user_id, int(word), args.rest())


def _person(args: Args) -> str | None:
    """The mention that comes next, if one does."""
    word = args.peek()
    return args.mention() if word is not None and mention_user_id(word) else None


ROOTS: dict[str, str] = {
    "feedback": "rate a meeting with a buddy, for the moderators only; my own average",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "feedback",
        "rate a meeting with a buddy (1 to 5), with an optional note; the moderators only see it",
        _feedback,
        params=(
            number("rating", "1 (badly) to 5 (very well)", LOWEST_SCORE, HIGHEST_SCORE),
            person("the buddy you met (not needed with one current buddy)", required=False),
            text("note", "for the moderators only", required=False, limit=NOTE_LIMIT),
        ),
        details="One rating per buddy per pairing: a second one replaces the first. Your buddy "
        "never sees it; a rating of 2 or less reaches the moderators at once.",
    ),
    CommandSpec(
        "feedback mine",
        "how my meetings were rated, as an average, once 3 different people rated them",
        no_words(ShowMyFeedback),
    ),
)

"""The check-in commands: open, answer, concern, skip, stay, and the moderators' status and
answers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.command_refs import command_ref
from bot.kernel.commands import (
    LONGEST,
    Audience,
    Builder,
    Command,
    CommandSpec,
    circle,
    date,
    person,
    text,
)
from bot.kernel.model import Actor
from bot.kernel.parsing import Args, mention_user_id
from bot.runtime.builders import (
    circle_named,
    no_words,
)


@dataclass(frozen=True)
class ShowCheckin(Command):
    drawn_by_the_adapter = True
    circle: str | None = None


@dataclass(frozen=True)
class AnswerCheckin(Command):
    answers: tuple[str, ...]
    concern: bool = False
    checkin_id: int | None = None
    """Set by a form (which knows the check-in it showed); typed answers go to the current one."""


@dataclass(frozen=True)
class SkipCheckin(Command):
    reason: str = ""


@dataclass(frozen=True)
class ShowCheckinStatus(Command):
    name: str


@dataclass(frozen=True)
class ShowCheckinAnswers(Command):
    circle: str
    period: str | None = None
    """A day in the period (YYYY-MM-DD) or the period itself (2026-W11); None: the latest."""
    user_id: str | None = None
    """Only this person's answers."""


@dataclass(frozen=True)
class StayIn(Command):
    pass


def _checkin_show(args: Args, actor: Actor) -> Command:
    circle = args.optional_word()
    args.end()
    return ShowCheckin(actor, circle)


def _checkin_answer(concern: bool) -> Builder:
    def builder(args: Args, actor: Actor) -> Command:
        text = args.rest()
        if not text:
            raise args.fail("Give your answers in order, separated by |.")
        return AnswerCheckin(actor, tuple(part.strip() for part in text.split("|")), concern)

    return builder


def _checkin_answers(args: Args, actor: Actor) -> Command:
    """`/checkin answers <circle> [day or period] [@person]`; a line with `|` in it is someone
    answering their own check-in with one letter too many, and is told so."""
    text = args.rest()
    if "|" in text:
        raise args.fail(
            f"To answer your check-in: {command_ref('/checkin answer <1> | <2> | ...')} "
            f"({command_ref('/checkin answers <circle>')} is for moderators reading a circle's "
            "answers)."
        )
    words = Args(text, args.usage)
    circle = words.word("the circle's name")
    token = words.peek()
    period = words.word("a day") if token is not None and not mention_user_id(token) else None
    user_id = words.mention("whose answers (@name)") if words.peek() is not None else None
    words.end()
    return ShowCheckinAnswers(actor, circle, period, user_id)


ANSWERS = "<answer 1> | <answer 2> | ..."
"""How the usage shows answers typed in one line."""

ROOTS: dict[str, str] = {
    "checkin": "answer my check-in (opens a form), skip it, see who answered, read answers",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "checkin",
        "answer my current check-in",
        _checkin_show,
        params=(circle("which circle's check-in", required=False),),
        details="Answers can be changed until the check-in closes; later answers are kept as late.",
    ),
    CommandSpec(
        "checkin answer",
        "answer my check-in in one line, in the order of the questions",
        _checkin_answer(concern=False),
        params=(text("answers", "in the order of the questions, separated by |", shown=ANSWERS),),
    ),
    CommandSpec(
        "checkin concern",
        "answer it and send it to the moderators privately as a concern",
        _checkin_answer(concern=True),
        params=(
            text(
                "message",
                "your answers in the order of the questions, separated by |, with what worries you",
                limit=LONGEST,
                shown=ANSWERS,
            ),
        ),
    ),
    CommandSpec(
        "checkin skip",
        "skip this period (on leave, nothing to report)",
        lambda args, actor: SkipCheckin(actor, args.rest()),
        params=(text("reason", "on leave, nothing to report...", required=False, limit=300),),
    ),
    CommandSpec(
        "checkin stay",
        'answer "still in?": keep my check-ins and pairings going',
        no_words(lambda a: StayIn(a)),
    ),
    CommandSpec(
        "checkin status",
        "who answered this period and who has not; moderators also see skips, late answers "
        "and concerns",
        circle_named(lambda a, n: ShowCheckinStatus(a, n)),
        params=(circle(),),
        audience=Audience.MODERATORS,
    ),
    CommandSpec(
        "checkin answers",
        "what the members wrote in a circle's check-in; each read is in the audit trail",
        _checkin_answers,
        params=(
            circle(),
            date(
                "day",
                "a day of that check-in, YYYY-MM-DD (empty: the latest)",
                required=False,
                limit=14,
                shown="[YYYY-MM-DD]",
            ),
            person("only this person's answers", required=False),
        ),
        audience=Audience.MODERATORS_ONLY,
        details="The latest check-in, or the one of the week (fortnight, month) a day falls in; "
        "with @person, only theirs. Those who wrote something under the last question come "
        "first.",
    ),
)

"""The buddy commands: /findbuddy, /buddy, /pause, /block, /unblock and the moderators' /round."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Audience, Builder, Command, CommandSpec, circle, person, text
from bot.kernel.model import Actor, MeetingAnswer
from bot.kernel.parsing import Args
from bot.runtime.builders import (
    circle_named,
    no_words,
    one_person,
)


@dataclass(frozen=True)
class FindBuddy(Command):
    subject: str | None = None


@dataclass(frozen=True)
class CancelFindBuddy(Command):
    pass


@dataclass(frozen=True)
class ShowBuddies(Command):
    pass


@dataclass(frozen=True)
class AnswerMeeting(Command):
    user_id: str
    answer: MeetingAnswer


@dataclass(frozen=True)
class EndPairing(Command):
    user_id: str
    reason: str = ""


@dataclass(frozen=True)
class BlockMember(Command):
    user_id: str


@dataclass(frozen=True)
class UnblockMember(Command):
    user_id: str


@dataclass(frozen=True)
class Pause(Command):
    until: str
    """`2w`, `until YYYY-MM-DD` or `off`, as typed."""


@dataclass(frozen=True)
class PreviewRound(Command):
    name: str


@dataclass(frozen=True)
class RunRound(Command):
    name: str


def _findbuddy(args: Args, actor: Actor) -> Command:
    return FindBuddy(actor, args.rest() or None)


def _meeting(answer: MeetingAnswer) -> Builder:
    def builder(args: Args, actor: Actor) -> Command:
        user_id = args.mention("your buddy (@name)")
        args.end()
        return AnswerMeeting(actor, user_id, answer)

    return builder


def _buddy_end(args: Args, actor: Actor) -> Command:
    user_id = args.mention("your buddy (@name)")
    return EndPairing(actor, user_id, args.rest())


def _pause(args: Args, actor: Actor) -> Command:
    until = args.rest()
    if not until:
        raise args.fail("Say for how long: 2w, until YYYY-MM-DD (a date), or off.")
    return Pause(actor, until)


ROOTS: dict[str, str] = {
    "findbuddy": "find a study buddy now, or wait until someone fits",
    "buddy": "my buddies; did we meet; end a pairing",
    "pause": "no pairings and no prompts for a while",
    "block": "never pair me with this person; nobody else is told",
    "unblock": "undo a block",
    "round": "moderators: preview or run a pairing round",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "findbuddy",
        "find a study buddy now, or wait in the queue until someone fits",
        _findbuddy,
        params=(text("subject", "only people who study it", required=False, limit=40),),
        details="With a subject, only people who study it or asked for it too are matched.",
    ),
    CommandSpec(
        "findbuddy cancel", "leave the buddy queue", no_words(lambda a: CancelFindBuddy(a))
    ),
    CommandSpec("buddy", "my buddies and why we were put together", no_words(ShowBuddies)),
    CommandSpec("buddy met", "we met", _meeting(MeetingAnswer.MET), params=(person("your buddy"),)),
    CommandSpec(
        "buddy notyet",
        "we have not met yet (I ask again in two days)",
        _meeting(MeetingAnswer.NOT_YET),
        params=(person("your buddy"),),
    ),
    CommandSpec(
        "buddy couldnt",
        "we could not meet",
        _meeting(MeetingAnswer.COULDNT),
        params=(person("your buddy"),),
    ),
    CommandSpec(
        "buddy end",
        "end a pairing; I may be paired again",
        _buddy_end,
        params=(
            person("your buddy"),
            text("reason", "kept for the moderators only", required=False, limit=300),
        ),
        details="The reason is kept for the moderators only; your buddy is just told it ended.",
    ),
    CommandSpec(
        "pause",
        "no pairings and no prompts until then",
        _pause,
        params=(
            text(
                "how_long",
                "2w, 10d, a date (2027-01-10), or off to be back now",
                limit=30,
                shown="<2w|until YYYY-MM-DD|off>",
            ),
        ),
    ),
    CommandSpec(
        "block",
        "never pair me with this person; nobody else is told",
        one_person(lambda a, u: BlockMember(a, u)),
        params=(person("who never to be paired with"),),
    ),
    CommandSpec(
        "unblock",
        "undo a block",
        one_person(lambda a, u: UnblockMember(a, u)),
        params=(person("whose block to undo"),),
    ),
    CommandSpec(
        "round preview",
        "the pairing round that would run now, with reasons; sends nothing",
        circle_named(lambda a, n: PreviewRound(a, n)),
        params=(circle(),),
        audience=Audience.MODERATORS,
    ),
    CommandSpec(
        "round run",
        "run a pairing round now",
        circle_named(lambda a, n: RunRound(a, n)),
        params=(circle(),),
        audience=Audience.MODERATORS,
    ),
)

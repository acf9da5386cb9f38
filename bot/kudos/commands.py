"""The kudos commands: give, wall, top, and the moderators' revoke."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.command_refs import command_ref
from bot.kernel.commands import (
    Audience,
    Command,
    CommandSpec,
    Param,
    choice,
    circle,
    number,
    person,
    text,
)
from bot.kernel.model import Actor
from bot.kernel.parsing import Args, mention_user_id


@dataclass(frozen=True)
class GiveKudos(Command):
    user_id: str
    reason: str
    value: str | None = None


@dataclass(frozen=True)
class ShowKudosWall(Command):
    circle: str | None = None


@dataclass(frozen=True)
class ShowKudosTop(Command):
    period: str = "week"


@dataclass(frozen=True)
class RevokeKudos(Command):
    kudos_id: str
    reason: str = ""


KUDOS_PERIODS = ("week", "month", "all")


MASS_MENTIONS = ("everyone", "here", "channel")
"""Not a person: in a reason they are text, shown unable to ping."""


def _kudos(args: Args, actor: Actor) -> Command:
    user_id = args.mention("who the kudos are for (@name)")
    words = args.rest().split()
    value = words.pop()[1:].lower() if words and words[-1].startswith("#") else None
    if any(mention_user_id(word) not in (None, *MASS_MENTIONS) for word in words):
        raise args.fail("One person per kudos; say why in words.")
    return GiveKudos(actor, user_id, " ".join(words), value)


def _kudos_wall(args: Args, actor: Actor) -> Command:
    circle = args.optional_word()
    args.end()
    return ShowKudosWall(actor, circle)


def _kudos_top(args: Args, actor: Actor) -> Command:
    period = args.choice("week, month or all", KUDOS_PERIODS) if args.peek() else "week"
    args.end()
    return ShowKudosTop(actor, period)


def _kudos_revoke(args: Args, actor: Actor) -> Command:
    kudos_id = args.word(f"the kudos number (shown on {command_ref('/kudos wall')})")
    return RevokeKudos(actor, kudos_id, args.rest())


ROOTS: dict[str, str] = {
    "kudos": "recognise someone; the wall; the leaderboard",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "kudos",
        "recognise someone; posted in the circle's channel and sent to them",
        _kudos,
        params=(
            person("who the kudos are for"),
            text("reason", "what they did, 3 to 300 characters", limit=300),
            Param("value", "a value it shows", required=False, limit=30, prefix="#"),
        ),
        details="The reason is 3 to 300 characters; "
        f"{command_ref('/kudos wall')} shows recent kudos.",
    ),
    CommandSpec(
        "kudos wall",
        "recent kudos, in the workspace or one circle",
        _kudos_wall,
        params=(circle("only this circle", required=False),),
    ),
    CommandSpec(
        "kudos top",
        "who received and gave most (moderators, unless the workspace makes it public)",
        _kudos_top,
        params=(choice("period", "over", KUDOS_PERIODS, required=False),),
    ),
    CommandSpec(
        "kudos revoke",
        "take a kudos back; it leaves every wall and count, with an audit record",
        _kudos_revoke,
        params=(
            number("number", "the kudos number (on /kudos wall)", 1, 2**53),
            text("reason", "why, for the audit", required=False, limit=300),
        ),
        audience=Audience.MODERATORS_ONLY,
    ),
)

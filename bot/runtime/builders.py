"""How the words of the commonest commands are read, for the features' declarations: no words,
one circle's name, one person.

Rule: a circle's name is one word; more words where only a name fits are a name typed with
spaces, refused with a name made from them (a role may follow the name, after `as` or not)."""

from __future__ import annotations

from collections.abc import Callable

from bot.kernel.circle_names import not_a_circle_name
from bot.kernel.command_refs import command_ref
from bot.kernel.commands import Builder, Command
from bot.kernel.model import Actor, CircleRole
from bot.kernel.parsing import Args

MEMBER_ROLES = [r.value for r in CircleRole]
ROLE_WORDS = [*MEMBER_ROLES, "facilitator"]


def no_words(build: Callable[[Actor], Command]) -> Builder:
    """A command that takes nothing after its name."""

    def builder(args: Args, actor: Actor) -> Command:
        args.end()
        return build(actor)

    return builder


def circle_name(args: Args, *, role_may_follow: bool = False) -> str:
    """The circle's name, one word. Words after it that the command does not take (up to `as`
    or a role, when a role may follow) are a name typed with spaces: refused, with a name made
    from them."""
    name = args.word("the circle's name")
    words = [name]
    while (word := args.peek()) is not None and not (
        role_may_follow and word.lower() in ("as", *ROLE_WORDS)
    ):
        words.append(args.word("more"))
    if len(words) > 1:
        raise args.fail(
            f"{not_a_circle_name(' '.join(words))} {command_ref('/circle list')} shows the circles."
        )
    return name


def circle_named(make: Callable[[Actor, str], Command]) -> Builder:
    """A command that takes one circle's name."""

    def builder(args: Args, actor: Actor) -> Command:
        name = circle_name(args)
        args.end()
        return make(actor, name)

    return builder


def one_person(make: Callable[[Actor, str], Command]) -> Builder:
    """A command that takes one person."""

    def builder(args: Args, actor: Actor) -> Command:
        user_id = args.mention()
        args.end()
        return make(actor, user_id)

    return builder

"""/help: what I can do here, or one command in detail; moderators' commands only for them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.command_refs import command_ref, usage_ref
from bot.kernel.commands import Audience, Command, CommandSpec, text
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise
from bot.runtime.catalog import Catalog
from bot.runtime.feature import Feature
from bot.runtime.handlers import handles

ONLY = Audience.MODERATORS_ONLY


@dataclass(frozen=True)
class ShowHelp(Command):
    topic: str | None = None


def _help(args: Args, actor: Actor) -> Command:
    return ShowHelp(actor, args.rest().lstrip("/") or None)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "help",
        "what I can do here, or one command in detail",
        _help,
        params=(text("command", "a command, e.g. findbuddy", required=False, limit=40),),
    ),
)
FEATURE = Feature("help", COMMANDS, {"help": COMMANDS[0].summary})


@dataclass(frozen=True)
class SuggestHelpTopics(Command):
    """The commands help lists for this member, for a platform's autocomplete of `/help`."""

    drawn_by_the_adapter = True


def _listed(catalog: Catalog, ctx: Context) -> tuple[list[CommandSpec], list[CommandSpec]]:
    """(everyone's commands, the moderators' and facilitators' when the member is a moderator)."""
    everyone = [s for s in catalog if s.audience is Audience.EVERYONE]
    staff = [s for s in catalog if s.audience is not Audience.EVERYONE] if ctx.is_moderator else []
    return everyone, staff


@handles(ShowHelp)
async def show_help(cmd: ShowHelp, ctx: Context) -> Reply:
    catalog = Catalog(ctx.commands)
    if cmd.topic:
        return Reply(_one_command(catalog, cmd.topic))
    everyone, staff = _listed(catalog, ctx)
    lines = [f"Here is what I can do (type {command_ref('/help <command>')} for more):"]
    lines += [f"{usage_ref(s.usage)}: {s.summary}" for s in everyone]
    if staff:
        lines.append("\nFor moderators and facilitators:")
        lines += [
            f"{usage_ref(s.usage)}: {s.summary}"
            + (" (moderators only)" if s.audience is ONLY else "")
            for s in staff
        ]
    return Reply("\n".join(lines))


@handles(SuggestHelpTopics)
async def suggest_help_topics(cmd: SuggestHelpTopics, ctx: Context) -> Reply:
    everyone, staff = _listed(Catalog(ctx.commands), ctx)
    return Reply("", choices=tuple(s.path for s in everyone + staff))


def _one_command(catalog: Catalog, topic: str) -> str:
    words = topic.lower().split()
    spec = catalog.by_path.get(" ".join(words))
    if spec is None:
        related = [s for s in catalog if s.root == (words[0] if words else "")]
        if related:
            return "\n".join(f"{usage_ref(s.usage)}: {s.summary}{s.for_whom}" for s in related)
        nearest = catalog.suggest(words)
        hint = f" Did you mean {command_ref(f'/help {nearest}')}?" if nearest else ""
        raise UserError(f"There is no command '{neutralise(topic, 40)}'.{hint}")
    text = f"{usage_ref(spec.usage)}\n{spec.summary}{spec.for_whom}"
    return f"{text}\n{spec.details}" if spec.details else text

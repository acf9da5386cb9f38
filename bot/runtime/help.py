"""/help: what I can do here, or one command in detail; moderators' commands only for them."""

from __future__ import annotations

from bot.kernel.commands import ShowHelp
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise
from bot.runtime.catalog import CATALOG, SPECS_BY_PATH, Audience, suggest
from bot.runtime.handlers import handles

ONLY = Audience.MODERATORS_ONLY


@handles(ShowHelp)
async def show_help(cmd: ShowHelp, ctx: Context) -> Reply:
    if cmd.topic:
        return Reply(_one_command(cmd.topic))
    lines = ["Here is what I can do (type /help <command> for more):"]
    lines += [f"{s.usage}: {s.summary}" for s in CATALOG if s.audience is Audience.EVERYONE]
    if ctx.is_moderator:
        lines.append("\nFor moderators and facilitators:")
        lines += [
            f"{s.usage}: {s.summary}" + (" (moderators only)" if s.audience is ONLY else "")
            for s in CATALOG
            if s.audience is not Audience.EVERYONE
        ]
    return Reply("\n".join(lines))


def _one_command(topic: str) -> str:
    words = topic.lower().split()
    spec = SPECS_BY_PATH.get(" ".join(words))
    if spec is None:
        related = [s for s in CATALOG if s.root == (words[0] if words else "")]
        if related:
            return "\n".join(f"{s.usage}: {s.summary}" for s in related)
        nearest = suggest(words)
        hint = f" Did you mean /help {nearest}?" if nearest else ""
        raise UserError(f"There is no command '{neutralise(topic, 40)}'.{hint}")
    text = f"{spec.usage}\n{spec.summary}"
    if spec.audience is not Audience.EVERYONE:
        text += f" (for {spec.audience.value})"
    return f"{text}\n{spec.details}" if spec.details else text

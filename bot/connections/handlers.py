"""/buddy reflect, /buddy keep and /buddy letgo: answering what an ending asks (bot.kernel.endings).

Rules:
- a reflection answers the latest ending the member was asked about, once, in at most
  REFLECTION_LIMIT characters; it is the writer's alone: nobody else reads it, moderators
  neither, and it is in the writer's export;
- "stay in touch?" is answered once per partner, and only by someone who was asked it; when
  both say yes (and neither has blocked the other) the connection is kept and both are told,
  the first to say yes by DM, held for their quiet hours; a no is never passed on, so the
  other, whatever they said, hears nothing;
- either may let go of a connection at any time: it leaves both lists, and nobody is told; a
  yes not yet matched may be taken back the same way.
"""

from __future__ import annotations

from bot.connections.commands import REFLECTION_LIMIT, KeepInTouch, LetGo, Reflect
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.mentions import Composer
from bot.kernel.model import Destination, Member, OutgoingMessage, Reflection
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.replies import Reply
from bot.kernel.text import clean_input, neutralise, typed_mention, typed_mention_of
from bot.runtime.handlers import handles


@handles(Reflect)
async def reflect(cmd: Reflect, ctx: Context) -> Reply:
    words = clean_input(cmd.text)
    if len(words) > REFLECTION_LIMIT:
        raise UserError(
            f"Your reflection is {len(words)} characters; the limit is {REFLECTION_LIMIT}. "
            "Shorten it and send it again: one thing is enough."
        )
    reflection = await ctx.uow.connections.latest_reflection(ctx.me.id)
    if reflection is None:
        raise NotFound(
            "There is no question for you to answer: I ask it when a buddy pairing where you "
            f"met has ended. {command_ref('/buddy')} shows your buddies."
        )
    who = _name(reflection.partner)
    if reflection.written_at is not None:
        raise UserError(
            f"You already answered the question about your pairing with {who}; it stays as you "
            f"wrote it, for you alone. {command_ref('/privacy export')} gives you a copy."
        )
    reflection.text, reflection.written_at = words, ctx.now
    await ctx.uow.connections.save_reflection(reflection)
    return Reply(
        f"Kept, for you alone: nobody else reads it. {command_ref('/privacy export')} gives you "
        "a copy."
    )


@handles(KeepInTouch)
async def keep_in_touch(cmd: KeepInTouch, ctx: Context) -> Reply:
    other = await _someone_else(ctx, cmd.user_id)
    mine = await _asked_about(ctx, other)
    who = _name(other)
    if mine.stay is not None:
        said = "yes" if mine.stay else "no"
        raise UserError(
            f"You already said {said} about staying in touch with {who}; that answer stands. "
            f"{command_ref('/buddy')} shows whom you are in touch with."
        )
    mine.stay, mine.answered_at = True, ctx.now
    await ctx.uow.connections.save_reflection(mine)
    theirs = await ctx.uow.connections.reflection_about(other.id, ctx.me.id)
    blocked = await ctx.uow.buddies.blocked_pairs([ctx.me.id, other.id])
    if theirs is None or not theirs.stay or blocked or other.erased_at:
        return Reply(f"Noted. If {who} says yes too, you'll both be told; a no is never passed on.")
    await ctx.uow.connections.connect(ctx.me.id, other.id, ctx.now)
    await _tell_kept(ctx, other)
    letgo = command_ref(f"/buddy letgo {typed_mention(other.ref)}")
    return Reply(
        f"{who} said yes too: you are staying in touch. {command_ref('/buddy')} lists them; "
        f"{letgo} ends it, and nobody is told."
    )


@handles(LetGo)
async def let_go(cmd: LetGo, ctx: Context) -> Reply:
    other = await _someone_else(ctx, cmd.user_id)
    who = _name(other)
    mine = await ctx.uow.connections.reflection_about(ctx.me.id, other.id)
    if await ctx.uow.connections.disconnect(ctx.me.id, other.id):
        if mine is not None:
            mine.stay, mine.answered_at = False, ctx.now
            await ctx.uow.connections.save_reflection(mine)
        return Reply(
            f"Done: you and {who} are no longer in touch; you have left each other's lists. "
            f"{who} is not told."
        )
    if mine is None or not mine.stay_asked:
        raise NotFound(
            f"You are not in touch with {who}, and there is no question about them to answer. "
            f"{command_ref('/buddy')} shows whom you are in touch with."
        )
    if mine.stay is False:
        raise UserError(
            f"You already said no about staying in touch with {who}; that answer stands, and "
            "nobody was told."
        )
    mine.stay, mine.answered_at = False, ctx.now
    await ctx.uow.connections.save_reflection(mine)
    return Reply(f"Noted: you won't stay in touch with {who}. Nobody is told.")


async def _tell_kept(ctx: Context, other: Member) -> None:
    """Tell the one who said yes first that the other said yes too (routine: held for their
    quiet hours and holidays)."""
    letgo = command_ref(f"/buddy letgo {typed_mention(ctx.me.ref)}")
    text = Composer()
    text.about(ctx.me.id, _name(ctx.me))
    text.add(
        f" said yes too: you are staying in touch. {command_ref('/buddy')} lists them; {letgo} "
        "ends it, and nobody is told."
    )
    message = OutgoingMessage(
        f"connection:{min(ctx.me.id, other.id)}:{max(ctx.me.id, other.id)}:kept:{other.id}",
        Destination.dm(other.ref),
        text.text,
        mentions=text.mentions,
    )
    await ScheduledMessages(ctx.uow, ctx.settings).queue(other, message, ctx.now)


async def _asked_about(ctx: Context, other: Member) -> Reflection:
    """My reflection about `other`, where I was asked "stay in touch?" about them."""
    mine = await ctx.uow.connections.reflection_about(ctx.me.id, other.id)
    if mine is None or not mine.stay_asked:
        raise NotFound(
            f"I never asked you about staying in touch with {_name(other)}: I ask when a buddy "
            f"pairing where you met ends. {command_ref('/buddy')} shows your buddies."
        )
    return mine


async def _someone_else(ctx: Context, user_id: str) -> Member:
    if user_id == ctx.me.ref.user_id:
        raise UserError("That is you: name the buddy you mean.")
    other = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    if other is None:
        who = typed_mention_of(ctx.me.ref.workspace, user_id)
        raise NotFound(
            f"I don't know {who} here. Check the name; {command_ref('/buddy')} shows your buddies."
        )
    return other


def _name(member: Member) -> str:
    return neutralise(member.display_name, 60)

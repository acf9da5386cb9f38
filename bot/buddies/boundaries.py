"""/block, /unblock and /pause: a member's own limits on who and when."""

from __future__ import annotations

from bot.buddies.commands import BlockMember, Pause, UnblockMember
from bot.buddies.pause_until import pause_end
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.local_time import shown, zone_of
from bot.kernel.model import Member, RequestStatus
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise, typed_mention, typed_mention_of
from bot.runtime.handlers import handles


@handles(BlockMember)
async def block(cmd: BlockMember, ctx: Context) -> Reply:
    other = await _someone_else(ctx, cmd.user_id, "block")
    name = neutralise(other.display_name, 60)
    if not await ctx.uow.buddies.add_block(ctx.me.id, other.id, ctx.now):
        undo = command_ref(f"/unblock {typed_mention(other.ref)}")
        return Reply(f"{name} is already blocked. {undo} undoes it.")
    await ctx.uow.connections.disconnect(ctx.me.id, other.id)  # silently, as the block is
    still = [p for p in await ctx.uow.buddies.open_pairings_of(ctx.me.id) if p.seat_of(other.id)]
    end = command_ref(f"/buddy end {typed_mention(other.ref)}")
    note = f"\nYou are still paired with {name}; {end} ends that." if still else ""
    return Reply(f"Blocked {name}: you will never be paired with them. Nobody else is told.{note}")


@handles(UnblockMember)
async def unblock(cmd: UnblockMember, ctx: Context) -> Reply:
    other = await _someone_else(ctx, cmd.user_id, "unblock")
    name = neutralise(other.display_name, 60)
    if not await ctx.uow.buddies.remove_block(ctx.me.id, other.id):
        return Reply(f"You had not blocked {name}.")
    return Reply(f"Unblocked {name}: you may be paired with them again.")


@handles(Pause)
async def pause(cmd: Pause, ctx: Context) -> Reply:
    zone = zone_of(ctx.me, ctx.settings)
    until = pause_end(cmd.until, ctx.now, zone)
    if until is None and not ctx.me.is_paused(ctx.now):
        raise UserError(
            "You are not paused: pairings and prompts already reach you. "
            f"{command_ref('/pause 2w')} or {command_ref('/pause until <date>')} pauses them."
        )
    ctx.me.paused_until = until
    ctx.me.heard_from()
    await ctx.uow.members.save(ctx.me)
    if ctx.me.paused_until is None:
        return Reply("Welcome back: pairings and prompts are on again.")
    request = await ctx.uow.buddies.waiting_of(ctx.me.id)
    left_queue = ""
    if request:
        request.status = RequestStatus.CANCELLED
        await ctx.uow.buddies.save_request(request)
        left_queue = " You have left the buddy queue."
    return Reply(
        f"Paused until {shown(ctx.me.paused_until, zone, ctx.now)} (your time): no pairings and no "
        f"prompts.{left_queue} {command_ref('/pause off')} brings you back sooner."
    )


async def _someone_else(ctx: Context, user_id: str, verb: str) -> Member:
    if user_id == ctx.me.ref.user_id:
        raise UserError(f"You cannot {verb} yourself.")
    other = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    if other is None:
        who = typed_mention_of(ctx.me.ref.workspace, user_id)
        raise NotFound(
            f"I don't know {who} here. Check the name; people appear once they have used a "
            "command or joined a circle."
        )
    return other

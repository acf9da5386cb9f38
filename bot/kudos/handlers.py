"""/kudos: recognition that motivates and cannot be gamed; its wall, its leaderboard, revoking.

Rules:
- who gives is `[kudos] givers`: moderators, or everyone within a weekly allowance (moderators
  are not counted) and one kudos per giver and recipient per day, both in the giver's calendar;
- never to oneself, a bot, or someone unknown in this workspace; the reason is 3 to 300
  characters, shown with every mention defused; a `#value` is one of the configured tags;
- a kudos is for a circle (not archived, one with a channel first): one giver and recipient
  are both in, else one of the recipient's open circles, else none. It never points at, is
  posted in or names a private circle the giver is not in;
- sent to the recipient by DM, and posted: a private circle's kudos only in that circle's own
  channel (never the workspace's kudos channel), any other in the `[kudos] channel`, else its
  circle's channel; with no such channel, the DM only;
- someone who turned public praise off, giver or recipient, is named on no post, wall or
  leaderboard: their kudos go by DM only;
- a private circle's kudos are on the walls and leaderboard of its members and the moderators
  only;
- the same kudos twice (a double click, a retried request) is one kudos;
- revoking takes it off every wall and count and leaves an audit record.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from bot.kernel.circle_access import require_moderator, visible_circle
from bot.kernel.command_refs import command_ref, usage_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed, NotFound, UserError
from bot.kernel.local_time import shown_day, start_of_day, zone_of
from bot.kernel.milestones import recognise
from bot.kernel.model import (
    Circle,
    Destination,
    Kudos,
    Member,
    MilestoneKind,
    NewAuditEntry,
    NewKudos,
    OutgoingMessage,
)
from bot.kernel.replies import Reply
from bot.kernel.settings import KudosGivers
from bot.kernel.text import clean_input, neutralise, typed_mention_of
from bot.kudos.commands import GiveKudos, RevokeKudos, ShowKudosTop, ShowKudosWall
from bot.runtime.handlers import handles

REASON_MIN, REASON_MAX = 3, 300
MAX_ID_DIGITS = 9
"""A kudos number longer than this is no kudos (and too big for the database's integer)."""
_MENTION_LIKE = re.compile(r"<[!@#][^>]*>|@\w+")
WALL_SIZE, TOP_SIZE = 15, 10


@handles(GiveKudos)
async def give_kudos(cmd: GiveKudos, ctx: Context) -> Reply:
    rules = ctx.settings.kudos
    everyone_gives = rules.givers is KudosGivers.EVERYONE
    if not (everyone_gives or ctx.is_moderator):
        raise NotAllowed("Only moderators give kudos here. Tell one who deserves them!")
    recipient = await _recipient(ctx, cmd.user_id)
    reason = _checked_reason(cmd.reason)
    if cmd.value is not None and cmd.value not in rules.values:
        tags = " ".join(f"#{v}" for v in rules.values) or "none are set up"
        raise UserError(f"#{neutralise(cmd.value, 30)} is not one of the values: {tags}.")
    zone = zone_of(ctx.me, ctx.settings)
    day = start_of_day(ctx.now.astimezone(zone).date(), zone)
    left = (
        await _allowance_left(ctx, recipient, day)
        if everyone_gives and not ctx.is_moderator
        else None
    )
    circle = await _kudos_circle(ctx, recipient)
    kudos = await ctx.uow.kudos.add(
        NewKudos(
            ctx.me.ref.workspace,
            ctx.me,
            recipient,
            reason,
            ctx.now,
            _dedupe_key(ctx.me, recipient, day, reason),
            cmd.value,
            circle.id if circle else None,
        )
    )
    name = neutralise(recipient.display_name, 60)
    if kudos is None:
        return Reply(f"Those kudos to {name} were already given; nothing was posted again.")
    told = await _announce(ctx, kudos, circle)
    await recognise(ctx.uow, recipient, MilestoneKind.FIRST_KUDOS, ctx.now)
    allowance = "" if left is None else f" You have {left - 1} left this week."
    return Reply(f"Kudos to {name} {told}.{allowance}")


@handles(ShowKudosWall)
async def kudos_wall(cmd: ShowKudosWall, ctx: Context) -> Reply:
    circle = await visible_circle(ctx, cmd.circle) if cmd.circle else None
    recent = await ctx.uow.kudos.recent(
        ctx.me.ref.workspace, circle.id if circle else None, WALL_SIZE, _seen_by(ctx)
    )
    where = f" in {circle.name}" if circle else ""
    if not recent:
        return Reply(f"No kudos{where} yet.")
    zone = zone_of(ctx.me, ctx.settings)
    lines = [f"Recent kudos{where}:"]
    for k in recent:
        number = f" [{k.id}]" if ctx.is_moderator else ""
        lines.append(
            f"• {shown_day(k.created_at, zone)}{number}: {neutralise(k.giver.display_name, 40)} → "
            f"{neutralise(k.recipient.display_name, 40)}: {_said(k)}"
        )
    return Reply("\n".join(lines))


@handles(ShowKudosTop)
async def kudos_top(cmd: ShowKudosTop, ctx: Context) -> Reply:
    if not (ctx.settings.kudos.public_leaderboard or ctx.is_moderator):
        raise NotAllowed(
            f"The kudos leaderboard is for moderators here; {command_ref('/kudos wall')} shows "
            "kudos."
        )
    since = _period_start(cmd.period, ctx)
    counts = await ctx.uow.kudos.counts_since(ctx.me.ref.workspace, since, TOP_SIZE, _seen_by(ctx))
    label = {"week": "this week", "month": "this month", "all": "so far"}[cmd.period]
    if not counts:
        return Reply(f"No kudos {label}.")
    lines = [f"Kudos {label}:"]
    lines += [
        f"{n}. {neutralise(c.member.display_name, 40)}: {c.received} received, {c.given} given"
        for n, c in enumerate(counts, 1)
    ]
    return Reply("\n".join(lines))


@handles(RevokeKudos)
async def revoke_kudos(cmd: RevokeKudos, ctx: Context) -> Reply:
    require_moderator(ctx, "revoke kudos")
    number = cmd.kudos_id.lstrip("#[").rstrip("]")
    kudos = (
        await ctx.uow.kudos.get(ctx.me.ref.workspace, int(number))
        if number.isdecimal() and len(number) <= MAX_ID_DIGITS
        else None
    )
    if kudos is None:
        raise NotFound(
            f"There is no kudos number {neutralise(cmd.kudos_id, 20)}. "
            f"{command_ref('/kudos wall')} shows the numbers."
        )
    if kudos.revoked_at is not None:
        raise UserError(f"Kudos {kudos.id} was already revoked.")
    reason = neutralise(clean_input(cmd.reason), REASON_MAX)
    kudos.revoked_at, kudos.revoked_by, kudos.revoke_reason = ctx.now, ctx.me, reason
    await ctx.uow.kudos.save(kudos)
    # Named by number, never by the giver's or recipient's name, which erasing either of them
    # could not find again; the entry is about the recipient, named as they are now.
    await ctx.uow.audit.add(
        NewAuditEntry(
            ctx.me.ref.workspace,
            ctx.me,
            "kudos.revoke",
            f"kudos {kudos.id}",
            reason,
            ctx.now,
            about=kudos.recipient,
        )
    )
    return Reply(f"Revoked kudos {kudos.id}: it is off every wall and count. The audit keeps why.")


async def _recipient(ctx: Context, user_id: str) -> Member:
    if user_id == ctx.me.ref.user_id:
        raise UserError("Kudos are for someone else. Who helped you lately?")
    recipient = await ctx.uow.members.get(ctx.me.ref.workspace.member(user_id))
    if recipient is None:
        who = typed_mention_of(ctx.me.ref.workspace, user_id)
        raise NotFound(
            f"I don't know {who} here. People appear once they have used a command or joined "
            "a circle."
        )
    if recipient.is_bot:
        raise UserError("Bots don't need kudos; give them to a person.")
    return recipient


def _checked_reason(reason: str) -> str:
    """3 to 300 characters, at least 3 of them words rather than mentions of anyone."""
    text = clean_input(reason)
    words = _MENTION_LIKE.sub("", text).strip()
    if not REASON_MIN <= len(text) <= REASON_MAX or len(words) < REASON_MIN:
        raise UserError(
            f"Say why in {REASON_MIN} to {REASON_MAX} characters: "
            f"{usage_ref('/kudos @person <reason> [#value]')}"
        )
    return text


async def _allowance_left(ctx: Context, recipient: Member, day: datetime) -> int:
    """What the member may still give this week; refuses when none is left or when they gave
    this person kudos today already."""
    allowance = ctx.settings.kudos.allowance_per_week
    monday = day - timedelta(days=day.weekday())
    used = await ctx.uow.kudos.given_since(ctx.me.id, monday)
    if used >= allowance:
        raise UserError(
            f"You have given all {allowance} kudos this week; you get {allowance} more on Monday."
        )
    if await ctx.uow.kudos.gave_to_since(ctx.me.id, recipient.id, day):
        raise UserError(
            f"You gave {neutralise(recipient.display_name, 60)} kudos today already; "
            "one a day each. Try again tomorrow!"
        )
    return allowance - used


def _dedupe_key(giver: Member, recipient: Member, day: datetime, reason: str) -> str:
    digest = hashlib.sha256(" ".join(reason.lower().split()).encode()).hexdigest()[:24]
    return f"{giver.id}:{recipient.id}:{day.date().isoformat()}:{digest}"


async def _kudos_circle(ctx: Context, recipient: Member) -> Circle | None:
    """The circle a kudos is for, as the module says: the giver's and recipient's shared
    circles first, then the recipient's open ones (never a private circle the giver is not
    in), each time one with a channel first, then the oldest; archived ones never."""
    theirs = await ctx.uow.circles.circle_ids_of(recipient.id)
    shared = theirs & await ctx.uow.circles.circle_ids_of(ctx.me.id)
    circles = [c for i in sorted(theirs) if (c := await ctx.uow.circles.get(i))]
    live = [c for c in circles if not c.is_archived]
    for candidates in (
        [c for c in live if c.id in shared],
        [c for c in live if not c.settings.private],
    ):
        if candidates:
            return next((c for c in candidates if c.settings.channel), candidates[0])
    return None


async def _announce(ctx: Context, kudos: Kudos, circle: Circle | None) -> str:
    """DM the recipient; post it where `_post_channel` says when giver and recipient both allow
    public praise. What happened, as the giver is told it."""
    giver = neutralise(kudos.giver.display_name, 60)
    dm = f"{giver} gave you kudos: {_said(kudos)}"
    await ctx.uow.outbox.add(
        OutgoingMessage(f"kudos:{kudos.id}:dm", Destination.dm(kudos.recipient.ref), dm), ctx.now
    )
    channel = _post_channel(ctx, circle)
    if channel is None or not kudos.recipient.profile.public_kudos:
        return "sent to them privately"
    if not kudos.giver.profile.public_kudos:
        return (
            "sent to them privately, since you turned public praise off "
            f"({command_ref('/profile set public-kudos on')} changes that)"
        )
    post = f"Kudos to {neutralise(kudos.recipient.display_name, 60)} from {giver}: {_said(kudos)}"
    destination = Destination.channel(kudos.workspace, channel)
    await ctx.uow.outbox.add(OutgoingMessage(f"kudos:{kudos.id}:post", destination, post), ctx.now)
    return f"posted in {channel} and sent to them"


def _post_channel(ctx: Context, circle: Circle | None) -> str | None:
    """A private circle's kudos go to its own channel only, which its members alone see; any
    other to the workspace's kudos channel, else its circle's."""
    if circle is not None and circle.settings.private:
        return circle.settings.channel
    return ctx.settings.kudos.channel or (circle.settings.channel if circle else None)


def _seen_by(ctx: Context) -> int | None:
    """Whose walls: a member sees their own private circles' kudos, a moderator every circle's."""
    return None if ctx.is_moderator else ctx.me.id


def _said(kudos: Kudos) -> str:
    value = f" #{kudos.value}" if kudos.value else ""
    return f"{neutralise(kudos.reason, REASON_MAX)}{value}"


def _period_start(period: str, ctx: Context) -> datetime | None:
    zone = zone_of(ctx.me, ctx.settings)
    today = ctx.now.astimezone(zone).date()
    if period == "week":
        return start_of_day(today - timedelta(days=today.weekday()), zone)
    if period == "month":
        return start_of_day(today.replace(day=1), zone)
    return None

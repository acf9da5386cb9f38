"""/kudos: recognition that motivates and cannot be gamed; its wall, its leaderboard, revoking.

Rules:
- who gives is `[kudos] givers`: moderators, or everyone within a weekly allowance (moderators
  are not counted) and one kudos per giver and recipient per day, both in the giver's calendar;
- never to oneself, a bot, or someone unknown in this workspace; the reason is 3 to 300
  characters, shown with every mention defused; a `#value` is one of the configured tags;
- posted in the kudos channel (or a channel of a circle the two share) and sent to the
  recipient; someone who turned public praise off gets the DM only and is named nowhere public;
- the same kudos twice (a double click, a retried request) is one kudos;
- revoking takes it off every wall and count and leaves an audit record.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from bot.circle_access import require_moderator, visible_circle
from bot.commands import GiveKudos, RevokeKudos, ShowKudosTop, ShowKudosWall
from bot.errors import NotAllowed, NotFound, UserError
from bot.handlers import handles
from bot.handlers.context import Context
from bot.local_time import shown_day, start_of_day, zone_of
from bot.milestones import recognise
from bot.model import (
    AuditEntry,
    Circle,
    Destination,
    Kudos,
    Member,
    MilestoneKind,
    OutgoingMessage,
)
from bot.replies import Reply
from bot.settings import KudosGivers
from bot.text import clean_input, neutralise, typed_mention_of

REASON_MIN, REASON_MAX = 3, 300
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
    kudos = await ctx.uow.kudos.add(
        Kudos(
            ctx.me.ref.workspace,
            ctx.me,
            recipient,
            reason,
            ctx.now,
            _dedupe_key(ctx.me, recipient, day, reason),
            cmd.value,
            await _shared_circle_id(ctx, recipient),
        )
    )
    name = neutralise(recipient.display_name, 60)
    if kudos is None:
        return Reply(f"Those kudos to {name} were already given; nothing was posted again.")
    where = await _announce(ctx, kudos)
    await recognise(ctx.uow, recipient, MilestoneKind.FIRST_KUDOS, ctx.now)
    posted = f"posted in {where} and sent to them" if where else "sent to them privately"
    allowance = "" if left is None else f" You have {left - 1} left this week."
    return Reply(f"Kudos to {name} {posted}.{allowance}")


@handles(ShowKudosWall)
async def kudos_wall(cmd: ShowKudosWall, ctx: Context) -> Reply:
    circle = await visible_circle(ctx, cmd.circle) if cmd.circle else None
    recent = await ctx.uow.kudos.recent(
        ctx.me.ref.workspace, circle.id if circle else None, WALL_SIZE
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
        raise NotAllowed("The kudos leaderboard is for moderators here; /kudos wall shows kudos.")
    since = _period_start(cmd.period, ctx)
    counts = await ctx.uow.kudos.counts_since(ctx.me.ref.workspace, since, TOP_SIZE)
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
        await ctx.uow.kudos.get(ctx.me.ref.workspace, int(number)) if number.isdecimal() else None
    )
    if kudos is None:
        raise NotFound(
            f"There is no kudos number {neutralise(cmd.kudos_id, 20)}. "
            "/kudos wall shows the numbers."
        )
    if kudos.revoked_at is not None:
        raise UserError(f"Kudos {kudos.id} was already revoked.")
    reason = neutralise(clean_input(cmd.reason), REASON_MAX)
    kudos.revoked_at, kudos.revoked_by, kudos.revoke_reason = ctx.now, ctx.me, reason
    await ctx.uow.kudos.save(kudos)
    subject = f"kudos {kudos.id} to {kudos.recipient.display_name} from {kudos.giver.display_name}"
    await ctx.uow.audit.add(
        AuditEntry(
            ctx.me.ref.workspace,
            ctx.me,
            "kudos.revoke",
            subject,
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
            f"Say why in {REASON_MIN} to {REASON_MAX} characters: /kudos @person <reason> [#value]"
        )
    return text


async def _allowance_left(ctx: Context, recipient: Member, day: datetime) -> int:
    """What the member may still give this week; refuses when none is left or when they gave
    this person kudos today already."""
    assert ctx.me.id is not None
    assert recipient.id is not None
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


async def _shared_circle_id(ctx: Context, recipient: Member) -> int | None:
    assert ctx.me.id is not None
    assert recipient.id is not None
    theirs = await ctx.uow.circles.circle_ids_of(recipient.id)
    shared = sorted(theirs & await ctx.uow.circles.circle_ids_of(ctx.me.id)) or sorted(theirs)
    for circle_id in shared:
        circle = await ctx.uow.circles.get(circle_id)
        if circle and circle.settings.channel and not circle.is_archived:
            return circle_id
    return shared[0] if shared else None


async def _announce(ctx: Context, kudos: Kudos) -> str | None:
    """DM the recipient; post in public unless they turned public praise off. Where it was
    posted, or None."""
    giver = neutralise(kudos.giver.display_name, 60)
    dm = f"{giver} gave you kudos: {_said(kudos)}"
    await ctx.uow.outbox.add(
        OutgoingMessage(f"kudos:{kudos.id}:dm", Destination.dm(kudos.recipient.ref), dm), ctx.now
    )
    channel = await _channel(ctx, kudos)
    if channel is None or not kudos.recipient.profile.public_kudos:
        return None
    post = f"Kudos to {neutralise(kudos.recipient.display_name, 60)} from {giver}: {_said(kudos)}"
    destination = Destination.channel(kudos.workspace, channel)
    await ctx.uow.outbox.add(OutgoingMessage(f"kudos:{kudos.id}:post", destination, post), ctx.now)
    return channel


async def _channel(ctx: Context, kudos: Kudos) -> str | None:
    if ctx.settings.kudos.channel:
        return ctx.settings.kudos.channel
    circle: Circle | None = None
    if kudos.circle_id is not None:
        circle = await ctx.uow.circles.get(kudos.circle_id)
    return circle.settings.channel if circle else None


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

"""/checkin answers: what the members wrote in a circle's check-in, for the moderators.

Rules:
- moderators only: a facilitator (who may be a student the answers are about) is refused, and
  told that /checkin status shows who answered;
- the circle's latest check-in, or the one of the week, fortnight or month a day falls in
  (whatever the circle's cadence was then), or a period as the digest names it (2026-W11); with
  @person, only that person's answers;
- every read is kept in the audit trail as "checkin.answers" (about the person, when one), like
  /checkin status;
- who wrote something under the last question ("Anything the moderators should know?") comes
  first; every answer is quoted whole, unable to ping, until the reply is as long as one message
  may be, and then it says how to read the rest one person at a time.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.checkins.commands import ShowCheckinAnswers
from bot.checkins.messages import (
    answers_text,
    named,
    skip_note,
    wrote_heading,
    wrote_something,
)
from bot.kernel.cadence import period_at
from bot.kernel.circle_access import visible_circle
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed, UserError
from bot.kernel.local_time import shown_day, workspace_zone
from bot.kernel.model import Cadence, Checkin, CheckinStatus, Circle, NewAuditEntry
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise
from bot.runtime.handlers import handles

AUDIT_ACTION = "checkin.answers"
TEXT_BUDGET = 9_000
"""Characters of one reply, under the bus's limit for a reply."""
PERIOD_KEY = re.compile(r"\d{4}-W\d{2}|fortnight-\d{1,5}|\d{4}-\d{2}")
CADENCES = (Cadence.WEEKLY, Cadence.BIWEEKLY, Cadence.MONTHLY)


@handles(ShowCheckinAnswers)
async def show_checkin_answers(cmd: ShowCheckinAnswers, ctx: Context) -> Reply:
    if not ctx.is_moderator:
        raise NotAllowed(
            "Only moderators can read check-in answers; "
            f"{command_ref('/checkin status <circle>')} shows who answered."
        )
    circle = await visible_circle(ctx, cmd.circle)
    period = await _period(ctx, circle, cmd.period)
    checkins = await _checkins(ctx, circle, period, cmd)
    about = checkins[0].member if cmd.user_id is not None else None
    answered = sum(c.status is CheckinStatus.ANSWERED for c in checkins)
    detail = f"check-in {period}, {answered} answered"
    await ctx.uow.audit.add(
        NewAuditEntry(
            ctx.me.ref.workspace, ctx.me, AUDIT_ACTION, circle.name, detail, ctx.now, about=about
        )
    )
    return Reply(answers_reply(circle, period or "", checkins, workspace_zone(ctx.settings)))


async def _period(ctx: Context, circle: Circle, typed: str | None) -> str | None:
    """The period asked for: the latest, the one named, or the one a day falls in that has
    check-ins; None when there is none."""
    if typed is None:
        return await ctx.uow.checkins.latest_period(circle.id)
    if PERIOD_KEY.fullmatch(typed):
        return typed
    day = _day(typed, circle)
    for key in periods_of(circle, day, workspace_zone(ctx.settings)):
        if await ctx.uow.checkins.of_period(circle.id, key):
            return key
    return None


def _day(typed: str, circle: Circle) -> date:
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise UserError(
            f"'{neutralise(typed, 20)}' is not a day: write YYYY-MM-DD, e.g. "
            f"{command_ref(f'/checkin answers {circle.name} 2026-03-09')} for the check-in of "
            "that week."
        ) from None


def periods_of(circle: Circle, day: date, zone: ZoneInfo) -> list[str]:
    """The periods `day` falls in, as each cadence counts them, the circle's own first: a
    check-in keeps the period it was asked in when the cadence changes later."""
    noon = datetime.combine(day, time(12), tzinfo=zone)
    first = [circle.settings.cadence] if circle.settings.cadence in CADENCES else []
    cadences = first + [c for c in CADENCES if c not in first]
    return [period_at(replace(circle.settings, cadence=c), noon, zone).key for c in cadences]


async def _checkins(
    ctx: Context, circle: Circle, period: str | None, cmd: ShowCheckinAnswers
) -> list[Checkin]:
    """The period's check-ins (one person's, with @person); a plain answer when there are
    none."""
    checkins = await ctx.uow.checkins.of_period(circle.id, period) if period else []
    if not checkins:
        raise UserError(_none_found(circle, cmd.period))
    if cmd.user_id is None:
        return checkins
    theirs = [c for c in checkins if c.member.ref.user_id == cmd.user_id]
    if not theirs:
        raise UserError(
            f"They were not asked in that check-in of {circle.name}. "
            f"{command_ref(f'/checkin status {circle.name}')} shows who was."
        )
    return theirs


def _none_found(circle: Circle, typed: str | None) -> str:
    if typed is None:
        return f"{circle.name} has had no check-ins yet, so there are no answers to read."
    return (
        f"{circle.name} had no check-in then ({neutralise(typed, 20)}). "
        f"{command_ref(f'/checkin answers {circle.name}')} shows the latest."
    )


def answers_reply(circle: Circle, period: str, checkins: list[Checkin], zone: ZoneInfo) -> str:
    """Who wrote something for the moderators, then each answer in full, then who skipped
    (with the reason) or did not answer; within the budget of one reply."""
    answered = [c for c in checkins if c.status is CheckinStatus.ANSWERED]
    wrote = [c for c in answered if wrote_something(c)]
    day = shown_day(min(c.scheduled_at for c in checkins), zone)
    lines = [
        f"{circle.name}, check-in of {day} ({period}): {len(checkins)} asked, "
        f"{len(answered)} answered. For moderators only; this read is in the audit trail."
    ]
    if wrote:
        lines.append(wrote_heading(wrote) + named(wrote, lambda c: ""))
    lines += _answer_blocks(circle, period, wrote + [c for c in answered if c not in wrote])
    skipped = [c for c in checkins if c.status is CheckinStatus.SKIPPED]
    others = [c for c in checkins if c.status in (CheckinStatus.OPEN, CheckinStatus.MISSED)]
    lines += [f"Skipped: {len(skipped)}" + named(skipped, skip_note)] if skipped else []
    lines += [f"Not answered: {len(others)}" + named(others, lambda c: "")] if others else []
    return "\n".join(lines)


def _answer_blocks(circle: Circle, period: str, answered: list[Checkin]) -> list[str]:
    blocks: list[str] = []
    used = 0
    for n, checkin in enumerate(answered):
        block = f"\n{_who(checkin)}:\n{answers_text(checkin)}"
        if used + len(block) > TEXT_BUDGET:
            blocks.append(
                f"\n… and {len(answered) - n} more answered; "
                f"{command_ref(f'/checkin answers {circle.name} {period} @person')} shows one "
                "person's."
            )
            break
        blocks.append(block)
        used += len(block)
    return blocks


def _who(checkin: Checkin) -> str:
    notes = ["late"] * checkin.late + ["marked as a concern, sent to you when raised"] * (
        checkin.concern
    )
    name = neutralise(checkin.member.display_name, 40)
    return f"{name} ({'; '.join(notes)})" if notes else name

"""/checkin and its subcommands: see, answer, skip, say you are still in; moderators' status."""

from __future__ import annotations

from bot.checkins.choice import checkin_by_id, current_checkin, nothing_open, unanswered_open
from bot.checkins.commands import AnswerCheckin, ShowCheckin, ShowCheckinStatus, SkipCheckin, StayIn
from bot.checkins.messages import answers_text, how_to_answer, questions_block
from bot.checkins.rules import in_audience
from bot.checkins.status import describe_status
from bot.kernel.checkin_form import CHECKIN_FORM, checkin_answers, checkin_form
from bot.kernel.circle_access import managed_circle
from bot.kernel.command_refs import command_ref
from bot.kernel.concerns import (
    NO_MODERATOR,
    SAVED,
    Told,
    flag_on_its_own,
    questions_and_answers,
    raise_concern,
)
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.forms import Submission, reads_form
from bot.kernel.goal_checkins import notes_from_answers
from bot.kernel.local_time import shown, zone_of
from bot.kernel.milestones import recognise
from bot.kernel.model import Actor, Checkin, CheckinStatus, MilestoneKind, NewAuditEntry, NewFlag
from bot.kernel.replies import Reply
from bot.kernel.text import clean_input, neutralise
from bot.runtime.handlers import handles

ANSWER_LIMIT = 1000
REASON_LIMIT = 300


@handles(ShowCheckin)
async def show_checkin(cmd: ShowCheckin, ctx: Context) -> Reply:
    checkin = await current_checkin(ctx, cmd.circle)
    return Reply(f"{_heading(ctx, checkin)}\n{_body(checkin)}", form=checkin_form(checkin))


@reads_form(CHECKIN_FORM, needs_subject=True)
def answer_from_form(actor: Actor, form: Submission) -> AnswerCheckin:
    """A check-in form sent back answers the check-in it showed."""
    answers, concern = checkin_answers(form.values)
    return AnswerCheckin(actor, answers, concern, form.subject)


@handles(AnswerCheckin)
async def answer_checkin(cmd: AnswerCheckin, ctx: Context) -> Reply:
    """Rule: a concern is never refused. When the check-in cannot take the answers (none open,
    closed, out of date, too many, too long or no answers), the words still go to the moderators
    as a concern of their own, and the reply says that and why the check-in is unchanged."""
    try:
        checkin, answers = await _answerable(cmd, ctx)
    except UserError as refused:
        if not cmd.concern:
            raise
        return Reply(await _concern_anyway(cmd, ctx, refused))
    return Reply(await _save_answers(cmd, ctx, checkin, answers))


async def _answerable(cmd: AnswerCheckin, ctx: Context) -> tuple[Checkin, tuple[str, ...]]:
    """The check-in these answers are for, and the answers as it will keep them."""
    if cmd.checkin_id is None:
        checkin = await current_checkin(ctx, only_one=True)
    else:
        checkin = await checkin_by_id(ctx, cmd.checkin_id)
    if checkin.is_closed(ctx.now) and checkin.status in (
        CheckinStatus.ANSWERED,
        CheckinStatus.SKIPPED,
    ):
        closes = shown(checkin.closes_at, zone_of(ctx.me, ctx.settings))
        raise UserError(
            f"Your {checkin.circle.name} check-in closed on {closes}; it can no longer be changed."
        )
    return checkin, _checked_answers(cmd.answers, checkin.questions)


async def _save_answers(
    cmd: AnswerCheckin, ctx: Context, checkin: Checkin, answers: tuple[str, ...]
) -> str:
    closes = shown(checkin.closes_at, zone_of(ctx.me, ctx.settings))
    closed = checkin.is_closed(ctx.now)
    told, answers = await notes_from_answers(ctx.uow, ctx.me, answers, ctx.now)
    before = (checkin.answers, checkin.concern)
    if checkin.status is not CheckinStatus.ANSWERED:
        checkin.late = closed
    checkin.status, checkin.answers, checkin.concern = CheckinStatus.ANSWERED, answers, cmd.concern
    checkin.answered_at, checkin.remind_at = ctx.now, None
    await ctx.uow.checkins.save(checkin)
    ctx.me.heard_from()
    await ctx.uow.members.save(ctx.me)
    await recognise(ctx.uow, ctx.me, MilestoneKind.TENTH_CHECKIN, ctx.now)
    lines = [
        f"Saved as a late answer: your {checkin.circle.name} check-in closed on {closes}."
        if closed
        else f"Saved your {checkin.circle.name} check-in. You can change it until {closes} "
        f"(your time) with {command_ref(f'/checkin {checkin.circle.name}')}."
    ]
    lines += _unanswered_note(checkin, closed)
    lines += told
    if cmd.concern and (not before[1] or before[0] != answers):
        lines.append(await _raise_concern(ctx, checkin))
    elif cmd.concern:  # the same answers again (a second click): sent once, and said so
        lines.append("These answers already went privately to the moderators as a concern.")
    lines += [
        f"Still open: {command_ref(f'/checkin {c.circle.name}')}"
        for c in await unanswered_open(ctx)
    ]
    return "\n".join(lines)


async def _concern_anyway(cmd: AnswerCheckin, ctx: Context, refused: UserError) -> str:
    """The typed answers sent as a concern on their own, whole; what to tell the member."""
    text = "\n".join(a for a in (clean_input(a) for a in cmd.answers) if a)
    told = await flag_on_its_own(ctx, text)
    if told is Told.NOBODY:
        said = SAVED
    elif text:
        said = f"{_went(told)}, every word; nobody else sees it."
    else:
        said = (
            "The moderators are told privately that you marked your check-in as a concern, "
            "with no words; they may check in with you. "
            f"{command_ref('/flag <what worries you>')} tells them more."
        )
    return f"{said}\nYour check-in itself is unchanged. {refused.message}"


@handles(SkipCheckin)
async def skip_checkin(cmd: SkipCheckin, ctx: Context) -> Reply:
    reason = neutralise(clean_input(cmd.reason), REASON_LIMIT)
    skipping = await unanswered_open(ctx)
    if not skipping:
        latest = await ctx.uow.checkins.latest_of(ctx.me.id)
        raise UserError(_already_answered(ctx, latest) or nothing_open(ctx, latest))
    for checkin in skipping:
        checkin.status, checkin.skip_reason, checkin.remind_at = CheckinStatus.SKIPPED, reason, None
        await ctx.uow.checkins.save(checkin)
    ctx.me.heard_from()
    await ctx.uow.members.save(ctx.me)
    names = ", ".join(c.circle.name for c in skipping)
    return Reply(
        f"Skipped this time: {names}. No reminders. Changed your mind? "
        f"{command_ref('/checkin')} still answers it while it is open."
    )


def _already_answered(ctx: Context, latest: list[Checkin]) -> str | None:
    """Why there is nothing to skip when the member has answered a check-in that is still
    open: their answers stay, and they can still change them."""
    zone = zone_of(ctx.me, ctx.settings)
    answered = [
        c for c in latest if not c.is_closed(ctx.now) and c.status is CheckinStatus.ANSWERED
    ]
    if not answered:
        return None
    c = answered[0]
    return (
        f"You have already answered your {c.circle.name} check-in, so there is nothing to skip; "
        f"your answers stay. {command_ref(f'/checkin {c.circle.name}')} changes them until "
        f"{shown(c.closes_at, zone)} (your time)."
    )


@handles(StayIn)
async def stay_in(cmd: StayIn, ctx: Context) -> Reply:
    """Rule: "still in" from a paused member (the automatic pause after "still in?" went
    unanswered, or their own) ends the pause: they said they are in."""
    was_paused = ctx.me.is_paused(ctx.now)
    ctx.me.heard_from()
    ctx.me.paused_until = None
    await ctx.uow.members.save(ctx.me)
    if was_paused:
        return Reply(
            "Welcome back: your pause is over, so pairings and check-ins reach you again. "
            f"{command_ref('/pause 2w')} pauses them again."
        )
    return Reply("Good to have you: your check-ins and pairings carry on as before.")


@handles(ShowCheckinStatus)
async def checkin_status(cmd: ShowCheckinStatus, ctx: Context) -> Reply:
    circle = await managed_circle(ctx, cmd.name, "see its check-ins", archived_too=True)
    period = await ctx.uow.checkins.latest_period(circle.id)
    checkins = await ctx.uow.checkins.of_period(circle.id, period) if period else []
    audience = [
        m.member for m in await ctx.uow.circles.memberships(circle.id) if in_audience(circle, m)
    ]
    if checkins:
        # Who answered, skipped why, or raised a concern: a read of private data.
        detail = f"check-in {period}, {len(checkins)} people"
        await ctx.uow.audit.add(
            NewAuditEntry(
                ctx.me.ref.workspace, ctx.me, "checkin.status", circle.name, detail, ctx.now
            )
        )
    status = describe_status(
        circle, checkins, audience, ctx.now, ctx.settings, moderator=ctx.is_moderator
    )
    return Reply(status)


def _heading(ctx: Context, checkin: Checkin) -> str:
    closes = shown(checkin.closes_at, zone_of(ctx.me, ctx.settings))
    name = checkin.circle.name
    if checkin.is_closed(ctx.now):
        return f"Your {name} check-in closed on {closes}; an answer now is kept as late."
    if checkin.status is CheckinStatus.ANSWERED:
        return f"Your {name} check-in, answered; open for changes until {closes} (your time)."
    return f"Your {name} check-in, open until {closes} (your time):"


def _body(checkin: Checkin) -> str:
    if checkin.status is CheckinStatus.ANSWERED:
        concern = "\n(marked as a concern for the moderators)" if checkin.concern else ""
        return f"{answers_text(checkin)}{concern}\n{how_to_answer(checkin)}"
    return f"{questions_block(checkin.questions)}\n{how_to_answer(checkin)}"


def _unanswered_note(checkin: Checkin, closed: bool) -> list[str]:
    """A line naming the questions left empty, and how to fill them in while the window is
    open; nothing when every question has an answer."""
    empty = [str(n) for n, answer in enumerate(checkin.answers, 1) if not answer]
    if not empty:
        return []
    which = f"question {empty[0]}" if len(empty) == 1 else "questions " + ", ".join(empty)
    count = len(checkin.questions)
    line = f"You answered {count - len(empty)} of {count}: {which} left empty."
    if not closed:
        blanks = " | ".join(f"<{n}>" for n in range(1, count + 1))
        line += (
            f" {command_ref(f'/checkin {checkin.circle.name}')} fills them in, or "
            f"{command_ref(f'/checkin answer {blanks}')}."
        )
    return [line]


def _checked_answers(given: tuple[str, ...], questions: tuple[str, ...]) -> tuple[str, ...]:
    answers = tuple(clean_input(a) for a in given)
    if len(answers) > len(questions):
        raise UserError(
            f"This check-in has {len(questions)} questions but you gave {len(answers)} answers; "
            "separate the answers with | and keep | out of the answers themselves."
        )
    if not any(answers):
        raise UserError(
            f"Write at least one answer; {command_ref('/checkin skip')} skips this one instead."
        )
    if any(len(a) > ANSWER_LIMIT for a in answers):
        raise UserError(f"Each answer can be at most {ANSWER_LIMIT} characters.")
    return answers + ("",) * (len(questions) - len(answers))


async def _raise_concern(ctx: Context, checkin: Checkin) -> str:
    text = "\n".join(a for a in checkin.answers if a)
    flag = NewFlag(ctx.me.ref.workspace, ctx.me, text, ctx.now, checkin.circle.id, checkin.id)
    shown_to_them = questions_and_answers(checkin.questions, checkin.answers)
    told = await raise_concern(ctx, flag, checkin.circle.name, shown_to_them)
    return NO_MODERATOR if told is Told.NOBODY else f"{_went(told)}."


def _went(told: Told) -> str:
    """How the member hears where their concern went (to follow with more of the sentence)."""
    if told is Told.SOON:
        return (
            "Your concern goes privately to the moderators within two minutes (with any others "
            "you raise meanwhile)"
        )
    return "Your concern went privately to the moderators"

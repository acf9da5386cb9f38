"""/guide and /agreement: the programme's guide, the agreement of my mentoring pairings and
confirming it.

Rules: only a pairing of a mentor and a mentee has an agreement (peers have none, nor a circle
that turned agreements off); confirming is once per person and pairing: a second time changes
nothing and says so; with several mentoring pairings, confirming names the partner; what
others confirmed is shown to the people of that pairing only.
"""

from __future__ import annotations

from datetime import datetime

from bot.guide.commands import ConfirmAgreement, ShowAgreement, ShowGuide
from bot.guide.ports import agreement_repository
from bot.guide.text import guide_text
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotFound, UserError
from bot.kernel.local_time import shown_day, zone_of
from bot.kernel.model import Action, Circle, Pairing
from bot.kernel.pairing_start import agreement_actions, agreement_text, how_to_confirm, is_mentoring
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise, typed_mention, typed_mention_of
from bot.runtime.handlers import handles


@handles(ShowGuide)
async def show_guide(cmd: ShowGuide, ctx: Context) -> Reply:
    return Reply(guide_text(ctx.settings))


@handles(ShowAgreement)
async def show_agreement(cmd: ShowAgreement, ctx: Context) -> Reply:
    agreements = await _my_agreements(ctx)
    confirmed = await agreement_repository(ctx.uow).confirmations([p.id for p, _ in agreements])
    parts: list[str] = []
    actions: list[Action] = []
    for pairing, circle in agreements:
        seat = pairing.seat_of(ctx.me.id)
        assert seat is not None
        mine = confirmed.get(pairing.id, {})
        text = agreement_text(ctx.settings, circle, len(pairing.seats))
        who = _who_confirmed(pairing, mine, ctx)
        parts.append(f"Your agreement with {_partners(pairing, ctx)}:\n{text}\n{who}")
        if ctx.me.id not in mine:
            parts[-1] += f"\n{how_to_confirm(pairing, seat)}"
            actions += agreement_actions(pairing, seat)
    return Reply("\n\n".join(parts), actions=tuple(actions[:1]))


@handles(ConfirmAgreement)
async def confirm_agreement(cmd: ConfirmAgreement, ctx: Context) -> Reply:
    pairing = await _the_agreement(ctx, cmd.user_id)
    who = _partners(pairing, ctx)
    if not await agreement_repository(ctx.uow).confirm(pairing.id, ctx.me.id, ctx.now):
        confirmed = await agreement_repository(ctx.uow).confirmations([pairing.id])
        when = _day(confirmed[pairing.id][ctx.me.id], ctx)
        return Reply(
            f"You already confirmed your agreement with {who} on {when}; nothing changed. "
            f"{command_ref('/agreement')} shows it."
        )
    return Reply(
        f"Thank you: you confirmed your agreement with {who}. {command_ref('/agreement')} shows "
        f"it and who else has confirmed; {command_ref('/guide')} has tips for your meetings."
    )


async def _my_agreements(ctx: Context) -> list[tuple[Pairing, Circle | None]]:
    """My open mentoring pairings that have an agreement, with their circles; NotFound saying
    why when there is none."""
    pairings = await ctx.uow.buddies.open_pairings_of(ctx.me.id)
    if not pairings:
        raise NotFound(
            "You have no pairing right now, so there is no agreement to show or confirm. "
            f"{command_ref('/guide')} shows the programme's guide."
        )
    mentoring = [p for p in pairings if is_mentoring(p)]
    if not mentoring:
        raise NotFound(
            "Your pairings are between peers: an agreement is only for a mentor and a mentee. "
            f"{command_ref('/buddy')} shows your buddies."
        )
    found: list[tuple[Pairing, Circle | None]] = []
    for pairing in mentoring:
        circle = await ctx.uow.circles.get(pairing.circle_id) if pairing.circle_id else None
        if circle is None or circle.settings.agreement:
            found.append((pairing, circle))
    if not found:
        raise NotFound(
            "Your mentoring circle has agreements turned off, so there is nothing to confirm. "
            f"{command_ref('/guide')} shows the programme's guide."
        )
    return found


async def _the_agreement(ctx: Context, user_id: str | None) -> Pairing:
    agreements = [p for p, _ in await _my_agreements(ctx)]
    if user_id is not None:
        for pairing in agreements:
            if any(m.ref.user_id == user_id for m in pairing.others(ctx.me.id)):
                return pairing
        who = typed_mention_of(ctx.me.ref.workspace, user_id)
        raise NotFound(
            f"You have no mentoring pairing with {who}. {command_ref('/agreement')} shows yours."
        )
    if len(agreements) > 1:
        handles_ = ", ".join(
            typed_mention(p.others(ctx.me.id)[0].ref) for p in agreements if p.others(ctx.me.id)
        )
        raise UserError(
            f"You have {len(agreements)} mentoring pairings; say which one you confirm: "
            f"{command_ref('/agreement confirm @name')} with one of {handles_}."
        )
    return agreements[0]


def _partners(pairing: Pairing, ctx: Context) -> str:
    return " and ".join(neutralise(m.display_name, 60) for m in pairing.others(ctx.me.id))


def _who_confirmed(pairing: Pairing, confirmed: dict[int, datetime], ctx: Context) -> str:
    done, waiting = [], []
    for seat in pairing.seats:
        name = "you" if seat.member.id == ctx.me.id else neutralise(seat.member.display_name, 60)
        if seat.member.id in confirmed:
            done.append(f"{name} ({_day(confirmed[seat.member.id], ctx)})")
        else:
            waiting.append(name)
    said = [f"Confirmed by {', '.join(done)}." if done else "Nobody has confirmed yet."]
    if done and waiting:
        said.append(f"Not yet: {', '.join(waiting)}.")
    return " ".join(said)


def _day(moment: datetime, ctx: Context) -> str:
    return shown_day(moment, zone_of(ctx.me, ctx.settings), ctx.now)

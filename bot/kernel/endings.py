"""How a pairing ends: the one place every ending passes through, and the question it leaves.

Every way a pairing ends calls `end_pairings`: `/buddy end` (either person), a circle's next
round (which ends the previous round's pairings), a moderator marking an adult
(bot.kernel.safeguarding) and a member erasing their data (bot.privacy.erasure). There is no
other: a /findbuddy pairing has no end date, and archiving a circle leaves its last round's
pairings open (no round follows to end them).

Rules, for the reflection that follows an ending:
- each person still in the pairing is asked ONE question, for themselves only ("What is one
  thing you'll take from these weeks?", answered with /buddy reflect), and "Stay in touch?"
  with their partner (Yes / No buttons, or /buddy keep and /buddy letgo typed);
- only a pair is asked (a trio or a larger group is not), and only one that met: at least one
  of the two answered "we met". A weekly round ends hundreds of pairs who mostly just rotate,
  so a pair who never met hears nothing about it;
- a member is asked about a partner at most once, ever: two people paired again and again are
  asked the first time a pairing of theirs that met ends, never after;
- a paused member, a bot, and whoever the ending leaves out (`leaving`: the member who erased
  their data) are not asked; their partner is asked to reflect but not "stay in touch?", as
  nobody is left to say yes with;
- an ending a moderator's safeguarding rule caused asks nothing (`ask=False`): the adult and the
  minor were separated on purpose, and "stay in touch?" would undo it;
- a pairing someone ended with a reason (`/buddy end @x <reason>`, which only the moderators
  read) asks both to reflect but neither "stay in touch?": a reason may be a worry, and the one
  who gave it must not be asked, nor hear the other was;
- the question is routine: it waits out each member's quiet hours and holidays
  (bot.kernel.quiet_hours), and is keyed by pairing and member, so it is queued once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.kernel.command_refs import command_ref
from bot.kernel.mentions import Composer
from bot.kernel.model import (
    Action,
    Destination,
    MeetingAnswer,
    Member,
    NewReflection,
    OutgoingMessage,
    Pairing,
)
from bot.kernel.ports import UnitOfWork
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.settings import CoreSettings
from bot.kernel.text import typed_mention

QUESTION = "What is one thing you'll take from these weeks?"


async def end_pairings(
    uow: UnitOfWork,
    pairings: Sequence[Pairing],
    now: datetime,
    settings: CoreSettings,
    reason: str | None,
    *,
    ended_by: Member | None = None,
    leaving: Member | None = None,
    ask: bool = True,
) -> None:
    """End these open pairings now (nobody is asked "did you meet?" about them any more), store
    them, and ask whoever the rules above say to reflect on them. Telling people the pairing
    ended is the caller's: each path says it in its own words."""
    for pairing in pairings:
        pairing.ended_at, pairing.end_reason = now, reason
        pairing.ended_by_id = ended_by.id if ended_by else None
        for seat in pairing.seats:
            seat.ask_at = None
    await uow.buddies.save_pairings(pairings)
    if ask:
        offer_stay = not (ended_by is not None and reason)
        await ask_to_reflect(uow, pairings, now, settings, leaving, offer_stay=offer_stay)


async def ask_to_reflect(
    uow: UnitOfWork,
    pairings: Sequence[Pairing],
    now: datetime,
    settings: CoreSettings,
    leaving: Member | None = None,
    *,
    offer_stay: bool = True,
) -> None:
    """Ask the reflection of each pair that met, each person once per partner (rules above);
    "stay in touch?" too where `offer_stay` and the partner stays."""
    met = [p for p in pairings if len(p.seats) == 2 and _met(p)]
    if not met:
        return
    asked = await uow.connections.asked_pairs({s.member.id for p in met for s in p.seats})
    scheduled = ScheduledMessages(uow, settings, batched=True)
    new: list[NewReflection] = []
    for pairing in met:
        for seat in pairing.seats:
            member, partner = seat.member, pairing.others(seat.member.id)[0]
            if not _may_ask(member, leaving, now) or (member.id, partner.id) in asked:
                continue
            stay = offer_stay and (leaving is None or leaving.id != partner.id)
            new.append(NewReflection(member.id, partner, pairing.id, now, stay_asked=stay))
            await scheduled.queue(member, _question(pairing, member, partner, stay), now)
    await uow.connections.add_reflections(new)
    await scheduled.flush(now)


def _met(pairing: Pairing) -> bool:
    return any(seat.answer is MeetingAnswer.MET for seat in pairing.seats)


def _may_ask(member: Member, leaving: Member | None, now: datetime) -> bool:
    gone = leaving is not None and leaving.id == member.id
    return not (gone or member.is_bot or member.erased_at or member.is_paused(now))


def _question(pairing: Pairing, member: Member, partner: Member, stay: bool) -> OutgoingMessage:
    """The reflection question, and "stay in touch?" with its two answers as buttons."""
    text = Composer()
    text.add("Now that your buddy pairing ")
    if stay:
        text.add("with ")
        text.about(partner.id, partner.display_name)
        text.add(" ")
    text.add(
        f"is over, one question, just for you (nobody else reads your answer): {QUESTION} "
        f"Answer with {command_ref('/buddy reflect <your words>')}."
    )
    actions: tuple[Action, ...] = ()
    if stay:
        handle = typed_mention(partner.ref)
        text.add("\nStay in touch with ")
        text.about(partner.id, partner.display_name)
        text.add(
            f"? If you both say yes, you each keep the other in {command_ref('/buddy')}; a no "
            f"is never passed on. Answer with {command_ref(f'/buddy keep {handle}')} or "
            f"{command_ref(f'/buddy letgo {handle}')}."
        )
        mention = f"<@{partner.ref.user_id}>"
        actions = (
            Action("Yes, stay in touch", f"/buddy keep {mention}", "primary"),
            Action("No", f"/buddy letgo {mention}"),
        )
    return OutgoingMessage(
        f"reflect:{pairing.id}:{member.id}",
        Destination.dm(member.ref),
        text.text,
        actions=actions,
        mentions=text.mentions,
    )

"""A circle's pairing round: who takes part, the matching, and what everyone is told.

Rules: paused members, members out of the pairing pool (bots, and moderators who have not opted
in) and archived circles take no part; an adult is never put with a minor unless the programme
allows it, and then the moderators are copied (bot.kernel.safeguarding); a mentor's room counts the
mentees they already have elsewhere, but not those of this circle's previous round, which this
round ends; whoever sits out is told why and that they go first next time; whoever nobody fits
is told so; a round happens once per period, however often it is attempted.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from bot.buddies.fit import Seeker, as_candidate
from bot.buddies.pairings import PairingPlan, new_pairing, tell_matched
from bot.buddies.quiet import QUIET_ROUNDS, quiet_rounds_after, still_in_after_rounds
from bot.buddies.unfit import Unfit, told_unfit, why_unfit
from bot.kernel.endings import end_pairings
from bot.kernel.local_time import week_start
from bot.kernel.model import (
    Circle,
    CircleRole,
    Destination,
    Member,
    Membership,
    NewPairingRound,
    OddPolicy,
    OutgoingMessage,
    Pairing,
    PairingKind,
    PairingRound,
    SeatRole,
)
from bot.kernel.pairing_start import mentors_first_time, offer_agreement
from bot.kernel.ports import Solver, UnitOfWork
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.safeguarding import copy_introduction, in_pairing_pool
from bot.kernel.settings import CoreSettings
from bot.kernel.still_in import ask_still_in
from bot.matching import Outcome, Problem

YIELD_EVERY = 200  # groups
MANUAL = "manual:"
"""How the period of a round run by hand begins."""


@dataclass(frozen=True)
class RoundPlan:
    circle: Circle
    seekers: dict[int, Seeker]
    memberships: dict[int, Membership]
    outcome: Outcome
    repeats: frozenset[tuple[int, int]]
    monday: datetime
    previous: list[Pairing]
    """The open pairings of the circle's last round, which this round ends."""
    problem: Problem
    quiet_rounds: dict[int, int]
    """Each member's silent rounds in a row once this round ends the previous one."""
    gone_quiet: tuple[Member, ...] = ()
    """Left out of this round for going quiet: they are asked "still in?"."""
    paused: tuple[Member, ...] = ()
    """Members of the circle who are paused now (for going quiet, or by themselves)."""

    @property
    def takes_part(self) -> bool:
        """Whether anyone at all takes part (is paired, sits out, fits nobody or went quiet)."""
        return bool(self.seekers or self.gone_quiet)

    def unfit(self) -> list[tuple[Member, Unfit]]:
        return [
            (self.seekers[m].member, why_unfit(self.problem, m)) for m in self.outcome.unmatched
        ]

    def pairing_plan(self, members: tuple[int, ...], round_id: int | None) -> PairingPlan:
        return PairingPlan(
            self.circle.workspace,
            PairingKind.ROUND,
            tuple(self.seekers[m] for m in members),
            circle_id=self.circle.id,
            round_id=round_id,
            repeats=self.repeats,
        )


async def plan_round(
    uow: UnitOfWork, circle: Circle, now: datetime, settings: CoreSettings, solve: Solver
) -> RoundPlan:
    pool = [m for m in await uow.circles.memberships(circle.id) if in_pairing_pool(m.member)]
    previous = await uow.buddies.open_round_pairings(circle.id)
    active = [m for m in pool if not m.member.is_paused(now)]
    ending = {seat.member.id: pairing for pairing in previous for seat in pairing.seats}
    quiet = {m.member.id: quiet_rounds_after(m.member, ending.get(m.member.id)) for m in active}
    memberships = {m.member.id: m for m in active if quiet[m.member.id] < QUIET_ROUNDS}
    seekers = {
        member_id: Seeker(m.member, m.role is CircleRole.MENTOR)
        for member_id, m in memberships.items()
    }
    mentees = await _mentees_elsewhere(
        uow, previous, [i for i, s in seekers.items() if s.is_mentor]
    )
    monday = week_start(now)
    recent = frozenset(await uow.buddies.round_partners(circle.id, settings.matching.recent_rounds))
    problem = Problem(
        candidates=tuple(
            as_candidate(s, settings, monday, mentees.get(i, 0), memberships[i].sit_outs)
            for i, s in seekers.items()
        ),
        blocked=frozenset(await uow.buddies.blocked_pairs(list(seekers))),
        recent=recent,
        group_size=circle.settings.group_size,
        trio_for_odd=circle.settings.odd is OddPolicy.TRIO,
        weights=settings.matching.weights,
        adults_with_minors=settings.programme.adults_paired_with_minors,
        seed=zlib.crc32(f"{circle.id}:{now.date().isoformat()}".encode()),
    )
    outcome = await solve(problem)
    return RoundPlan(
        circle,
        seekers,
        memberships,
        outcome,
        recent,
        monday,
        previous,
        problem,
        quiet,
        gone_quiet=tuple(m.member for m in active if m.member.id not in memberships),
        paused=tuple(m.member for m in pool if m.member.is_paused(now)),
    )


async def run_round(
    uow: UnitOfWork, plan: RoundPlan, period: str, now: datetime, settings: CoreSettings
) -> PairingRound | None:
    """Record the round, end the previous one's pairings, pair everyone and tell each person
    taking part what the round means for them. None when nobody takes part or the circle
    already had its round for this period."""
    circle = plan.circle
    if not plan.takes_part:
        return None
    round_ = await uow.buddies.add_round(NewPairingRound(circle.id, period, now))
    if round_ is None:
        return None
    await end_pairings(uow, plan.previous, now, settings, "the next round began")
    scheduled = ScheduledMessages(uow, settings, batched=True)
    await _pair_everyone(plan, round_, now, settings, scheduled)
    await _tell_left_out(plan, round_, now, scheduled, by_hand=period.startswith(MANUAL))
    await _count_quiet_rounds(plan, now, scheduled)
    await scheduled.flush(now)
    await _announce(uow, plan, round_, now)
    return round_


async def _pair_everyone(
    plan: RoundPlan,
    round_: PairingRound,
    now: datetime,
    settings: CoreSettings,
    scheduled: ScheduledMessages,
) -> None:
    """Store the round's pairings in a few statements and introduce everyone; every
    `YIELD_EVERY` groups the event loop serves commands in between."""
    uow, name = scheduled.uow, plan.circle.name
    new = []
    for n, group in enumerate(plan.outcome.groups, 1):
        new.append(
            new_pairing(plan.pairing_plan(group.members, round_.id), now, settings, plan.monday)
        )
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)
    days = settings.matching.meeting_check_days
    pairings = await uow.buddies.add_pairings(new)
    first_as_mentor = await mentors_first_time(uow, pairings, now)
    for n, pairing in enumerate(pairings, 1):
        for seat in pairing.seats:
            opening = f"New round in {name}: you are with"
            await tell_matched(uow, pairing, seat, opening, now, days, scheduled, first_as_mentor)
        await copy_introduction(uow, pairing, f"the round of {name}", settings, now)
        await offer_agreement(pairing, plan.circle, settings, now, scheduled)
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)


async def _count_quiet_rounds(plan: RoundPlan, now: datetime, scheduled: ScheduledMessages) -> None:
    """Keep each member's run of silent rounds; ask whoever went quiet "still in?"."""
    quiet = {m.id for m in plan.gone_quiet}
    members = [*(s.member for s in plan.seekers.values()), *plan.gone_quiet]
    for member in members:
        rounds = plan.quiet_rounds[member.id]
        asked = member.id in quiet and await ask_still_in(
            scheduled, member, still_in_after_rounds(plan.circle.name, rounds), now
        )
        if asked or member.quiet_rounds != rounds:
            member.quiet_rounds = rounds
            await scheduled.uow.members.save(member)


async def _tell_left_out(
    plan: RoundPlan,
    round_: PairingRound,
    now: datetime,
    scheduled: ScheduledMessages,
    by_hand: bool,
) -> None:
    name = plan.circle.name
    for member_id in plan.outcome.sat_out:
        membership = plan.memberships[member_id]
        membership.sit_outs += 1
        await scheduled.uow.circles.save_membership(membership)
        await _dm(
            scheduled,
            round_,
            membership,
            "sat-out",
            f"{name} had an odd number of people this round, so you sit this one out: it was "
            "your turn, and everyone takes one before anyone takes a second. You go first "
            "next round.",
            now,
        )
    for member, reason in plan.unfit():
        text = told_unfit(name, reason)
        if reason is Unfit.ALONE and not by_hand:  # a circle of one hears it once a month
            key = f"circle:{plan.circle.id}:alone:{member.id}:{now:%Y-%m}"
            message = OutgoingMessage(key, Destination.dm(member.ref), text)
            await scheduled.queue(member, message, now)
        else:
            await _dm(scheduled, round_, plan.memberships[member.id], "unmatched", text, now)


async def _dm(
    scheduled: ScheduledMessages,
    round_: PairingRound,
    membership: Membership,
    what: str,
    text: str,
    now: datetime,
) -> None:
    member = membership.member
    key = f"round:{round_.id}:{what}:{member.id}"
    await scheduled.queue(member, OutgoingMessage(key, Destination.dm(member.ref), text), now)


async def _announce(uow: UnitOfWork, plan: RoundPlan, round_: PairingRound, now: datetime) -> None:
    channel = plan.circle.settings.channel
    if not channel or not plan.outcome.groups:
        return
    text = f"A new round of {plan.circle.name}: {groups_made(plan)}. Check your DMs to meet yours!"
    destination = Destination.channel(plan.circle.workspace, channel)
    await uow.outbox.add(OutgoingMessage(f"round:{round_.id}:channel", destination, text), now)


def groups_made(plan: RoundPlan) -> str:
    """`2 pairs and 1 trio`, or `nobody was paired`."""
    sizes = Counter(len(g.members) for g in plan.outcome.groups)
    made = " and ".join(_counted(size, count) for size, count in sorted(sizes.items()))
    return made or "nobody was paired"


def _counted(size: int, count: int) -> str:
    """`2 pairs`, `1 trio`, `3 groups of 4`."""
    noun = {2: "pair", 3: "trio"}.get(size)
    if noun:
        return f"{count} {noun}{'s' if count != 1 else ''}"
    return f"{count} group{'s' if count != 1 else ''} of {size}"


async def _mentees_elsewhere(
    uow: UnitOfWork, previous: list[Pairing], mentor_ids: list[int]
) -> dict[int, int]:
    """Each mentor's open mentees, not counting this circle's round that is about to end."""
    counts = await uow.buddies.open_mentee_counts(mentor_ids)
    for pairing in previous:
        mentees = sum(1 for s in pairing.seats if s.role is SeatRole.MENTEE)
        for seat in pairing.seats:
            if seat.role is SeatRole.MENTOR and seat.member.id in counts:
                counts[seat.member.id] -= mentees
    return counts

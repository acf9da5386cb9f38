"""What falls due in the buddy programme as time passes: queue requests expire, "did you meet?"
questions are asked, and circles' scheduled rounds run. Each is a job for `DueWork`.

Rules: every job works in its own transactions and keys its messages, so a retried or doubled
tick changes nothing twice; a paused member is asked after their pause; what reaches a member
waits out their quiet hours and holidays (bot.kernel.quiet_hours); a round runs at the
circle's day and time in the workspace's default zone, within a day if the bot was down, once per
period, and not at all on the workspace's blackout dates; a new or changed schedule starts at its
next moment: a moment before the circle's last schedule change (`Circle.schedule_since`) or its
creation is nobody's round (/round run pairs people at once).

Cost: the round job reads only circles whose next look is due (`rounds_due`, an index), plans a
round only when its period has none yet, and then sets the circle's next look to its next
moment; an idle tick reads no circle, whatever the number of workspaces.
"""

from __future__ import annotations

import logging
import zlib
from datetime import datetime, timedelta

from bot.buddies.pairings import meeting_actions, meeting_question
from bot.buddies.round_roster import leaves_anyone_out, roster_into
from bot.buddies.rounds import RoundPlan, groups_made, plan_round, run_round
from bot.kernel.cadence import Period, next_moment, period_at
from bot.kernel.command_refs import command_ref
from bot.kernel.local_time import shown_day, workspace_zone, zone_of
from bot.kernel.mentions import Composer
from bot.kernel.model import Circle, Destination, OutgoingMessage, RequestStatus
from bot.kernel.moderators import tell_moderators
from bot.kernel.ports import Solver, UnitOfWork, UnitOfWorkFactory, solve_here
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.settings import CoreSettings
from bot.kernel.workspace_settings import SettingsBook, settings_for
from bot.runtime.due import DueJob

log = logging.getLogger(__name__)
BATCH = 200
ROUND_GRACE = timedelta(days=1)
"""A round missed while the bot was down still runs this long after its time."""


class BuddyJobs:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, settings: CoreSettings, solve: Solver = solve_here
    ) -> None:
        self._uow_factory = uow_factory
        self._settings = settings
        self._solve = solve

    def all(self) -> list[DueJob]:
        return [self.expire_requests, self.ask_about_meetings, self.run_scheduled_rounds]

    async def expire_requests(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            scheduled = ScheduledMessages(uow, self._settings)
            for request in await uow.buddies.expired_requests(now, BATCH):
                request.status = RequestStatus.EXPIRED
                await uow.buddies.save_request(request)
                where = request.member.ref.workspace
                zone = zone_of(request.member, await settings_for(uow, where, self._settings))
                text = (
                    f"Your buddy request from {shown_day(request.created_at, zone)} has expired: "
                    f"nobody who fits asked in time. {command_ref('/findbuddy')} tries again "
                    "(perhaps without a subject), or ask a moderator to help."
                )
                key = f"request:{request.id}:expired"
                message = OutgoingMessage(key, Destination.dm(request.member.ref), text)
                await scheduled.queue(request.member, message, now)
            await uow.commit()

    async def ask_about_meetings(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            scheduled = ScheduledMessages(uow, self._settings)
            for pairing, seat in await uow.buddies.seats_to_ask(now, BATCH):
                asked_for = seat.ask_at
                member = seat.member
                if member.is_paused(now):
                    seat.ask_at = member.paused_until
                else:
                    seat.ask_at = None
                    assert asked_for is not None
                    key = f"pairing:{pairing.id}:ask:{member.id}:{asked_for.isoformat()}"
                    to = Destination.dm(member.ref)
                    text, actions = meeting_question(pairing, seat), meeting_actions(pairing, seat)
                    message = OutgoingMessage(key, to, text, actions=actions)
                    await scheduled.queue(member, message, now)
                await uow.buddies.save_pairing(pairing)
            await uow.commit()

    async def run_scheduled_rounds(self, now: datetime) -> None:
        """Each circle whose next look is due: run its period's round if due and not yet run,
        then look again at its next moment. A failed round is tried again next tick."""
        async with self._uow_factory() as uow:
            due = await uow.circles.rounds_due(now, BATCH)
            if not due:
                return
            book = await SettingsBook.read(uow, self._settings)
        for circle, was in due:
            settings = book.of(circle.workspace)
            zone = workspace_zone(settings)
            period = period_at(circle.settings, now, zone)
            try:
                if _round_due(circle, period, now):
                    await self._run_round(circle, period, now, settings)
            except Exception:
                log.exception("the round of circle %s failed", circle.id)
                continue
            async with self._uow_factory() as uow:
                following = next_moment(circle.settings, now, zone)
                await uow.circles.next_round_check(circle.id, was, following)
                await uow.commit()

    async def _run_round(
        self, circle: Circle, period: Period, now: datetime, settings: CoreSettings
    ) -> None:
        """The period's round, unless it ran already or the day is a holiday; planned only when
        it will run."""
        async with self._uow_factory() as uow:
            if await uow.buddies.round_ran(circle.id, period.key):
                return
            holidays = await uow.blackouts.in_workspace(circle.workspace)
            if any(b.covers(period.moment.date()) for b in holidays):
                return
            plan = await plan_round(uow, circle, now, settings, self._solve)
            round_ = await run_round(uow, plan, period.key, now, settings)
            if round_ is not None and leaves_anyone_out(plan):
                await self._tell_moderators(uow, plan, now)
            await uow.commit()

    async def _tell_moderators(self, uow: UnitOfWork, plan: RoundPlan, now: datetime) -> None:
        """A routine note to the moderators of a scheduled round that left someone out; keyed by
        what it says and the month, so a circle that stays as it is (a circle of one) is news once
        a month, not every week."""
        text = Composer()
        text.add(
            f"The scheduled round of {plan.circle.name}: {groups_made(plan)}. "
            f"{command_ref(f'/round preview {plan.circle.name}')} shows the next one first."
        )
        roster_into(text, plan)
        news = zlib.crc32(text.text.encode())  # the same news is told once a month
        key = f"circle:{plan.circle.id}:left-out:{news}:{now:%Y-%m}"
        workspace = plan.circle.workspace
        await tell_moderators(
            uow,
            workspace,
            self._settings,
            key,
            text.text,
            now,
            routine=True,
            mentions=text.mentions,
        )


def _round_due(circle: Circle, period: Period, now: datetime) -> bool:
    """Whether the period's round is due now: its moment has come, within the grace, and is no
    earlier than the schedule it belongs to."""
    since = max((t for t in (circle.schedule_since, circle.created_at) if t), default=None)
    scheduled = since is None or period.moment >= since
    return scheduled and period.moment <= now < period.moment + ROUND_GRACE

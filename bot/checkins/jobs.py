"""What falls due in check-ins as time passes; each method is a job for `DueWork`.

Rules:
- each circle is looked at only when its stored moment comes (the next period's moment in the
  earliest of its audience's zones, or the end of someone's quiet hours) or when a change marked
  it (see `CheckinRepository.due_circles`): an idle tick reads no circle at all;
- a prompt is opened when the member's moment has come and they are outside their quiet hours;
  one check-in per (circle, member, period), so a doubled tick, a restart or a second instance
  never prompts twice; a period that can no longer be answered when the bot gets to it is
  recorded as missed, not sent; a paused member's is recorded as skipped;
- reminders stop when the member answers or skips, when the window closes, and after the
  configured number;
- when a window closes unanswered it is missed; `quiet_after` misses in a row bring one
  "still in?", and no answer to that in `still_in_days` pauses the member and tells the
  moderators;
- when every window of a circle's period has closed, the moderators get one digest.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.checkins.messages import (
    PAUSED_TEXT,
    answer_actions,
    digest_message,
    paused_for_moderators,
    prompt_text,
    reminder_text,
    still_in_text,
    why_paused,
)
from bot.checkins.rules import (
    closes_at,
    first_reminder,
    in_audience,
    next_reminder,
    owed_periods,
    takes_checkins,
)
from bot.kernel.cadence import Period, next_moment, recent_periods
from bot.kernel.durations import MAX_DURATION
from bot.kernel.goal_checkins import goals_for_prompt, with_goals
from bot.kernel.local_time import shown, shown_day, workspace_zone, zone_of
from bot.kernel.model import (
    Blackout,
    Checkin,
    CheckinStatus,
    Circle,
    Destination,
    Member,
    Membership,
    NewCheckin,
    OutgoingMessage,
    WorkspaceRef,
)
from bot.kernel.moderators import tell_moderators
from bot.kernel.pairing_start import with_checkin_tips
from bot.kernel.ports import UnitOfWork, UnitOfWorkFactory
from bot.kernel.quiet_hours import HolidayBook, ScheduledMessages, first_moment_allowed
from bot.kernel.settings import CoreSettings
from bot.kernel.still_in import ask_still_in
from bot.kernel.workspace_settings import SettingsBook, settings_for
from bot.runtime.due import DueJob

log = logging.getLogger(__name__)
BATCH = 500
PAUSED_REASON = "paused"


class CheckinJobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, settings: CoreSettings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    def all(self) -> list[DueJob]:
        return [self.open_due, self.remind, self.close, self.digest, self.pause_quiet_members]

    async def open_due(self, now: datetime) -> None:
        """Look only at the circles whose stored moment has come (or that a change marked):
        open what their members owe, and store when each must next be looked at."""
        async with self._uow_factory() as uow:
            due = await uow.checkins.due_circles(now)
        for scheduled in due:
            circle = scheduled.circle
            try:
                async with self._uow_factory() as uow:
                    settings = await settings_for(uow, circle.workspace, self._settings)
                    next_at = await self._open_circle(uow, circle, now, settings)
                    await uow.checkins.reschedule(circle.id, scheduled.version, next_at)
                    await uow.commit()
            except Exception:
                log.exception("opening the check-ins of circle %s failed", circle.id)

    async def _open_circle(
        self, uow: UnitOfWork, circle: Circle, now: datetime, settings: CoreSettings
    ) -> datetime | None:
        """Open what the circle's members owe now; when the circle must next be looked at (None:
        not until something about it changes)."""
        if not takes_checkins(circle):
            return None
        holidays = await uow.blackouts.in_workspace(circle.workspace)
        owed, zones = await self._owed(uow, circle, now, holidays, settings)
        next_at = min((next_moment(circle.settings, now, zone) for zone in zones), default=None)
        if not owed:
            return next_at
        existing = await uow.checkins.existing(circle.id, {p.key for _, p in owed})
        opening: list[NewCheckin] = []
        for membership, period in owed:
            if (membership.member.id, period.key) in existing:
                continue
            checkin = self._new_checkin(settings, circle, membership.member, period, now, holidays)
            if isinstance(checkin, NewCheckin):
                opening.append(checkin)
            else:  # held back by quiet hours or a holiday: look again when they end
                next_at = checkin if next_at is None else min(next_at, checkin)
        if opening:
            await self._open(uow, circle, opening, now, settings)
        return next_at

    async def _owed(
        self,
        uow: UnitOfWork,
        circle: Circle,
        now: datetime,
        holidays: Sequence[Blackout],
        settings: CoreSettings,
    ) -> tuple[list[tuple[Membership, Period]], set[ZoneInfo]]:
        """The (membership, period) the circle's audience owes now, and the audience's zones."""
        recent_in: dict[ZoneInfo, list[Period]] = {}  # most members share a handful of zones
        owed: list[tuple[Membership, Period]] = []
        for membership in await uow.circles.memberships(circle.id):
            if not in_audience(circle, membership):
                continue
            zone = zone_of(membership.member, settings)
            if zone not in recent_in:
                recent_in[zone] = recent_periods(circle.settings, now, zone)
            periods = owed_periods(circle, membership, recent_in[zone], holidays)
            owed += [(membership, period) for period in periods]
        return owed, set(recent_in)

    async def _open(
        self,
        uow: UnitOfWork,
        circle: Circle,
        opening: Sequence[NewCheckin],
        now: datetime,
        settings: CoreSettings,
    ) -> None:
        """Store the check-ins and queue the prompts of those prompted now."""
        owners = await uow.goals.owners_in(circle.workspace)
        prompts = [
            with_goals(
                self._prompt(checkin, settings),
                await goals_for_prompt(uow, checkin.member, settings, now, owners),
            )
            for checkin in await uow.checkins.add_all(opening)
            if checkin.prompted_at is not None
        ]
        prompts = await with_checkin_tips(uow, prompts, [c.member for c in opening], now)
        await uow.outbox.add_all(prompts, now)

    def _new_checkin(
        self,
        settings: CoreSettings,
        circle: Circle,
        member: Member,
        period: Period,
        now: datetime,
        holidays: Sequence[Blackout],
    ) -> NewCheckin | datetime:
        """The check-in to open now: prompted, recorded missed or skipped; while the member is in
        their quiet hours (or on a holiday), the moment to look again instead: when that ends,
        or when the window closes if sooner (it is recorded missed then)."""
        checkin = NewCheckin(
            circle,
            member,
            period.key,
            period.moment.astimezone(UTC),
            closes_at(period, settings).astimezone(UTC),
            circle.settings.checkin_questions,
        )
        if checkin.is_closed(now):
            checkin.status = CheckinStatus.MISSED
        elif member.is_paused(now):
            checkin.status, checkin.skip_reason = CheckinStatus.SKIPPED, PAUSED_REASON
        elif (allowed := first_moment_allowed(member, now, settings, holidays)) > now:
            return min(allowed, checkin.closes_at)  # a holiday may outlast the window
        else:
            checkin.prompted_at = now
            checkin.remind_at = first_reminder(checkin, settings)
        return checkin

    def _prompt(self, checkin: Checkin, settings: CoreSettings) -> OutgoingMessage:
        member = checkin.member
        text = prompt_text(checkin, shown(checkin.closes_at, zone_of(member, settings)))
        key = f"checkin:{checkin.circle.id}:{member.id}:{checkin.period}:prompt"
        return OutgoingMessage(
            key, Destination.dm(member.ref), text, actions=answer_actions(checkin)
        )

    async def remind(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            holidays, book = HolidayBook(uow), None
            for checkin in await uow.checkins.reminders_due(now, BATCH):
                book = book or await SettingsBook.read(uow, self._settings)
                settings = book.of(checkin.circle.workspace)
                await self._remind_one(
                    uow, checkin, now, await holidays.of(checkin.circle), settings
                )
                await uow.checkins.save(checkin)
            await uow.commit()

    async def _remind_one(
        self,
        uow: UnitOfWork,
        checkin: Checkin,
        now: datetime,
        holidays: Sequence[Blackout],
        settings: CoreSettings,
    ) -> None:
        member = checkin.member
        allowed = first_moment_allowed(member, now, settings, holidays)
        if checkin.is_closed(now) or member.is_paused(now):
            checkin.remind_at = None
        elif allowed > now:
            checkin.remind_at = allowed if allowed < checkin.closes_at else None
        else:
            checkin.reminders_sent += 1
            zone = zone_of(member, settings)
            text = reminder_text(
                checkin,
                shown(checkin.closes_at, zone),
                checkin.reminders_sent,
                self._settings.checkins.reminders,
            )
            key = f"checkin:{checkin.id}:reminder:{checkin.reminders_sent}"
            actions = answer_actions(checkin)
            message = OutgoingMessage(key, Destination.dm(member.ref), text, actions=actions)
            await uow.outbox.add(message, now)
            checkin.remind_at = next_reminder(checkin, self._settings, now)

    async def close(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            closing = await uow.checkins.closing(now, BATCH)
            members = {
                m.id: m
                for m in await uow.members.by_ids({c.member.id for c in closing if c.member.id})
            }
            for checkin in closing:
                checkin.status, checkin.remind_at = CheckinStatus.MISSED, None
                await uow.checkins.save(checkin)
                members[checkin.member.id].missed_checkins += 1
            scheduled = ScheduledMessages(uow, self._settings)
            for member in members.values():
                await self._maybe_ask_still_in(scheduled, member, now)
                await uow.members.save(member)
            await uow.commit()

    async def _maybe_ask_still_in(
        self, scheduled: ScheduledMessages, member: Member, now: datetime
    ) -> None:
        missed = member.missed_checkins
        if missed >= self._settings.checkins.quiet_after:
            await ask_still_in(scheduled, member, still_in_text(missed), now)

    async def digest(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            for circle_id, period in await uow.checkins.periods_to_digest(now, BATCH):
                previous = await uow.checkins.last_digest_at(circle_id)
                if not await uow.checkins.add_digest(circle_id, period, now):
                    continue
                checkins = await uow.checkins.of_period(circle_id, period)
                late = await uow.checkins.late_since(circle_id, previous)
                await self._send_digest(uow, checkins, [c for c in late if c.period != period], now)
            await uow.commit()

    async def _send_digest(
        self, uow: UnitOfWork, checkins: Sequence[Checkin], late: Sequence[Checkin], now: datetime
    ) -> None:
        if not checkins:
            return
        circle = checkins[0].circle
        zone = workspace_zone(await settings_for(uow, circle.workspace, self._settings))
        label = f"the check-in of {shown_day(min(c.scheduled_at for c in checkins), zone)}"
        text = digest_message(circle.name, label, checkins, late, zone)
        key = f"digest:{circle.id}:{checkins[0].period}"
        await tell_moderators(
            uow,
            circle.workspace,
            self._settings,
            key,
            text.text,
            now,
            routine=True,
            mentions=text.mentions,
        )

    async def pause_quiet_members(self, now: datetime) -> None:
        """Pause whoever left "still in?" unanswered; each workspace's moderators get one note
        naming everyone this pass paused there, keyed by who it names."""
        asked_before = now - timedelta(days=self._settings.checkins.still_in_days)
        async with self._uow_factory() as uow:
            scheduled = ScheduledMessages(uow, self._settings)
            paused: dict[WorkspaceRef, list[tuple[Member, str]]] = defaultdict(list)
            for member in await uow.members.still_in_unanswered(asked_before, BATCH):
                asked = member.still_in_asked_at
                assert asked is not None
                why = why_paused(member, self._settings.checkins.quiet_after)
                paused[member.ref.workspace].append((member, why))
                member.heard_from()
                member.paused_until, member.went_quiet_at = now + MAX_DURATION, now
                await uow.members.save(member)
                key = f"still-in:{member.id}:{asked.isoformat()}:paused"
                message = OutgoingMessage(key, Destination.dm(member.ref), PAUSED_TEXT)
                await scheduled.queue(member, message, now)
            for workspace, who in paused.items():
                text = paused_for_moderators(who)
                key = "still-in:paused:" + ",".join(str(m.id) for m, _ in who)[:120]
                await tell_moderators(
                    uow,
                    workspace,
                    self._settings,
                    f"{key}:{now.isoformat()}",
                    text.text,
                    now,
                    routine=True,
                    mentions=text.mentions,
                )
            await uow.commit()

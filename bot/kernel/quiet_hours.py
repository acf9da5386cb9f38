"""When a member may be messaged by the scheduler.

Rule: nothing scheduled (prompts, reminders, "still in?", "did you meet?", a round's match, an
expired request, a pause notice) reaches a member inside their quiet hours, read in their own
time zone (their profile's window, else the workspace default), or on the workspace's blackout
dates; what falls there waits for the first moment after. Replies to a member's own commands,
and concerns for moderators, are not held back.

Every scheduled message to a member is queued through `ScheduledMessages.queue`, the one place
this rule is applied; the check-in jobs also ask `first_moment` before opening a check-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from bot.kernel.local_time import start_of_day, zone_of
from bot.kernel.model import (
    Blackout,
    Circle,
    Member,
    MemberRef,
    NewMember,
    OutgoingMessage,
    WorkspaceRef,
)
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings
from bot.kernel.weekly_hours import DailyWindow, TimeFormatError
from bot.kernel.workspace_settings import settings_for

MAX_STEPS = 8
"""Holidays and quiet hours alternate at most a few times before a free moment comes."""


def quiet_window(member: NewMember, settings: CoreSettings) -> DailyWindow:
    """The member's window; the workspace default when theirs is unset or no longer readable."""
    try:
        return DailyWindow.parse(member.profile.quiet_hours or settings.default_quiet_hours)
    except TimeFormatError:
        return DailyWindow.parse(settings.default_quiet_hours)


def first_moment_allowed(
    member: NewMember,
    moment: datetime,
    settings: CoreSettings,
    holidays: Sequence[Blackout] = (),
) -> datetime:
    """`moment` itself, or the first moment after it outside the member's quiet hours and not
    on one of the workspace's blackout dates (read in the member's own calendar)."""
    zone = zone_of(member, settings)
    window = quiet_window(member, settings)
    for _ in range(MAX_STEPS):
        local = moment.astimezone(zone)
        holiday = next((b for b in holidays if b.covers(local.date())), None)
        if holiday is not None:
            moment = start_of_day(holiday.last + timedelta(days=1), zone)
        elif window.contains(local.hour * 60 + local.minute):
            moment = _end_of_quiet(local, window, moment)
        else:
            return moment
    return moment


def _end_of_quiet(local: datetime, window: DailyWindow, moment: datetime) -> datetime:
    end = datetime.combine(local.date(), time(window.end // 60, window.end % 60), local.tzinfo)
    if end.astimezone(UTC) <= moment:  # in UTC: wall times ignore a repeated DST hour
        end = datetime.combine(local.date() + timedelta(days=1), end.timetz())
    return end


class HolidayBook:
    """Each workspace's blackout dates, read once per unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._read: dict[WorkspaceRef, list[Blackout]] = {}

    async def of(self, where: Circle | MemberRef) -> list[Blackout]:
        workspace = where.workspace
        if workspace not in self._read:
            self._read[workspace] = await self._uow.blackouts.in_workspace(workspace)
        return self._read[workspace]


class ScheduledMessages:
    """Queues what the scheduler sends to members, each held until the member may be messaged."""

    def __init__(self, uow: UnitOfWork, settings: CoreSettings, batched: bool = False) -> None:
        """`batched`: hold what is queued until `flush` (a round's thousands in one INSERT)."""
        self.uow = uow
        self._settings = settings
        self._of_workspace: dict[WorkspaceRef, CoreSettings] = {}
        self.holidays = HolidayBook(uow)
        self._batched = batched
        self._pending: list[OutgoingMessage] = []

    async def flush(self, now: datetime) -> None:
        """Queue what a batched instance held, all at once."""
        await self.uow.outbox.add_all(self._pending, now)
        self._pending = []

    async def first_moment(self, member: Member, moment: datetime) -> datetime:
        """`moment`, or the first one after it outside the member's quiet hours and holidays
        (in their workspace's time zone when they set none)."""
        holidays = await self.holidays.of(member.ref)
        workspace = member.ref.workspace
        if workspace not in self._of_workspace:
            self._of_workspace[workspace] = await settings_for(self.uow, workspace, self._settings)
        return first_moment_allowed(member, moment, self._of_workspace[workspace], holidays)

    async def queue(self, member: Member, message: OutgoingMessage, now: datetime) -> datetime:
        """Queue `message` for `member`, held until they may be messaged; when it will go."""
        at = await self.first_moment(member, max(now, message.not_before or now))
        held = replace(message, not_before=at if at > now else None)
        if self._batched:
            self._pending.append(held)
        else:
            await self.uow.outbox.add(held, now)
        return at

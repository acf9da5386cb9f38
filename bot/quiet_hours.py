"""When a member may be messaged by the scheduler.

Rule: nothing scheduled (prompts, reminders, "still in?") reaches a member inside their quiet
hours, read in their own time zone (their profile's window, else the workspace default); what
falls there waits for the window's end. Replies to a member's own commands are not held back.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.local_time import zone_of
from bot.model import Member
from bot.settings import CoreSettings
from bot.weekly_hours import DailyWindow


def quiet_window(member: Member, settings: CoreSettings) -> DailyWindow:
    return DailyWindow.parse(member.profile.quiet_hours or settings.default_quiet_hours)


def first_moment_allowed(member: Member, moment: datetime, settings: CoreSettings) -> datetime:
    """`moment` itself, or the end of the quiet hours it falls in."""
    zone = zone_of(member, settings)
    local = moment.astimezone(zone)
    window = quiet_window(member, settings)
    if not window.contains(local.hour * 60 + local.minute):
        return moment
    end = datetime.combine(local.date(), time(window.end // 60, window.end % 60), tzinfo=zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), end.timetz())
    return end

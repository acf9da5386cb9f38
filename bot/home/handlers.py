"""A member's home: their circles, buddies, place in the buddy queue, open check-in, recent kudos
and pause at a glance (Slack's App Home), with the same as plain text for platforms without one.

Rules:
- only the member's own things: their own check-in, kudos they received, their own pairings;
  never anyone else's answers or kudos to others;
- circles they are in, archived ones left out, with their role and the circle's rhythm;
- the check-in is the one /checkin would show, among those whose window is still open in a
  circle they are still in (not archived): one not yet answered first, then one skipped, then
  one answered (to change it); between circles alike, the one closing first. One that closed
  and waits for a late answer is not shown;
- the last five kudos they received, revoked ones left out, whether or not they allow public
  praise (their home is theirs alone);
- lists newest first; every name and text someone typed is shown unable to ping;
- looking changes nothing.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.home.commands import ShowHome
from bot.kernel.checkin_form import checkin_form
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.local_time import shown, shown_day, zone_of
from bot.kernel.model import Cadence, Checkin, CheckinStatus, Circle, Membership
from bot.kernel.replies import HomeSummary, Reply
from bot.kernel.text import neutralise
from bot.runtime.handlers import handles

KUDOS_SHOWN = 5
REASON_LIMIT = 300


@handles(ShowHome)
async def show_home(cmd: ShowHome, ctx: Context) -> Reply:
    zone = zone_of(ctx.me, ctx.settings)
    circles = await _my_circles(ctx)
    checkin = await _open_checkin(ctx, {c.id for _, c in circles})
    paused = ctx.me.paused_until if ctx.me.is_paused(ctx.now) else None
    home = HomeSummary(
        circles=tuple(f"{c.name}: {_role(m)}, {_rhythm(c)}" for m, c in circles),
        buddies=await _buddies(ctx, zone),
        waiting_for_buddy=await _waiting(ctx, zone),
        checkin=checkin_form(checkin) if checkin else None,
        kudos=await _kudos(ctx, zone),
        paused_until=shown(paused, zone, ctx.now) if paused else None,
    )
    return Reply(_as_text(home, _checkin_line(checkin, zone)), home=home)


async def _my_circles(ctx: Context) -> list[tuple[Membership, Circle]]:
    """Not archived, the latest joined first."""
    mine: list[tuple[Membership, Circle]] = []
    for circle_id in await ctx.uow.circles.circle_ids_of(ctx.me.id):
        circle = await ctx.uow.circles.get(circle_id)
        membership = await ctx.uow.circles.membership(circle_id, ctx.me.id)
        if circle and membership and not circle.is_archived:
            mine.append((membership, circle))
    mine.sort(key=lambda mc: (_joined(mc[0]), mc[1].name.lower()), reverse=True)
    return mine


def _joined(membership: Membership) -> float:
    return membership.joined_at.timestamp() if membership.joined_at else float("-inf")


def _role(membership: Membership) -> str:
    role = membership.role.value
    return f"{role} and facilitator" if membership.facilitator else role


def _rhythm(circle: Circle) -> str:
    s = circle.settings
    if s.cadence is Cadence.OFF:
        return "no regular rounds"
    return f"{s.cadence.value} on {s.day} at {s.time} your time"


async def _buddies(ctx: Context, zone: ZoneInfo) -> tuple[str, ...]:
    lines = []
    for pairing in await ctx.uow.buddies.open_pairings_of(ctx.me.id):
        seat = pairing.seat_of(ctx.me.id)
        assert seat is not None
        about = f", for {neutralise(pairing.subject, 40)}" if pairing.subject else ""
        who = neutralise(pairing.partners_line(seat), 200)
        lines.append(f"{who}: since {shown_day(pairing.created_at, zone)}{about}")
    return tuple(lines)


async def _waiting(ctx: Context, zone: ZoneInfo) -> str | None:
    request = await ctx.uow.buddies.waiting_of(ctx.me.id)
    if request is None:
        return None
    about = f", for {neutralise(request.subject, 40)}" if request.subject else ""
    return (
        f"Waiting for a buddy since {shown_day(request.created_at, zone)}{about} "
        f"(until {shown_day(request.expires_at, zone)})"
    )


async def _open_checkin(ctx: Context, circle_ids: set[int | None]) -> Checkin | None:
    """As the module says; `latest_of` lists the soonest closing first."""
    still_open = [
        c
        for c in await ctx.uow.checkins.latest_of(ctx.me.id)
        if c.circle.id in circle_ids and not c.is_closed(ctx.now)
    ]
    for status in (CheckinStatus.OPEN, CheckinStatus.SKIPPED, CheckinStatus.ANSWERED):
        found = next((c for c in still_open if c.status is status), None)
        if found:
            return found
    return None


def _checkin_line(checkin: Checkin | None, zone: ZoneInfo) -> str | None:
    if checkin is None:
        return None
    name = checkin.circle.name
    until = f"until {shown(checkin.closes_at, zone)} (your time)"
    again = command_ref(f"/checkin {name}")
    if checkin.status is CheckinStatus.ANSWERED:
        return f"Your {name} check-in is answered; {again} changes it {until}."
    return f"Your {name} check-in is open {until}: {again}"


async def _kudos(ctx: Context, zone: ZoneInfo) -> tuple[str, ...]:
    lines = []
    for kudos in await ctx.uow.kudos.received_by(ctx.me.id, KUDOS_SHOWN):
        value = f" #{kudos.value}" if kudos.value else ""
        lines.append(
            f"{shown_day(kudos.created_at, zone)}, from {neutralise(kudos.giver.display_name, 60)}:"
            f" {neutralise(kudos.reason, REASON_LIMIT)}{value}"
        )
    return tuple(lines)


def _as_text(home: HomeSummary, checkin: str | None) -> str:
    lines = []
    if home.paused_until:
        lines.append(
            f"You are paused until {home.paused_until} (your time). "
            f"{command_ref('/pause off')} resumes."
        )
    if checkin:
        lines.append(checkin)
    buddies = home.buddies + ((home.waiting_for_buddy,) if home.waiting_for_buddy else ())
    for title, part, empty in (
        ("Your circles", home.circles, f"none yet; {command_ref('/circle list')} shows them"),
        ("Your buddies", buddies, f"none yet; {command_ref('/findbuddy')} finds one"),
        ("Kudos for you", home.kudos, "none yet"),
    ):
        shown_part = "".join(f"\n• {line}" for line in part) if part else f" {empty}"
        lines.append(f"{title}:{shown_part}")
    return "\n".join(lines)

"""Who a round leaves out, and why: for the moderator who previews or runs it, and for the
moderators when a scheduled round paired nobody or left someone out.

Rules: each line names the people and, after each, why: sitting out (their turn, first next
round), nobody fits (the reason, as bot.buddies.unfit words it for moderators), left out for going
quiet and asked "still in?", paused after going quiet (with how they come back) and paused by
themselves; every name is written as being about its member, so erasing them takes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.buddies.rounds import RoundPlan
from bot.kernel.command_refs import command_ref
from bot.kernel.mentions import Composer
from bot.kernel.model import Member


def roster_into(text: Composer, plan: RoundPlan) -> None:
    """One line for each way someone is left out of the round, where anyone is."""
    sat_out = [plan.seekers[m].member for m in plan.outcome.sat_out]
    went_quiet = [m for m in plan.paused if m.went_quiet_at is not None]
    own_pause = [m for m in plan.paused if m.went_quiet_at is None]
    _line(text, "Sits out", [(m, "their turn; first next round") for m in sat_out])
    _line(text, "Nobody fits", [(m, reason.value) for m, reason in plan.unfit()])
    _line(
        text,
        'Left out for going quiet (they get "still in?")',
        [
            (m, f"no word about meeting in {plan.quiet_rounds[m.id]} rounds")
            for m in plan.gone_quiet
        ],
    )
    back = command_ref("/pause off")
    _line(
        text, f"Paused after going quiet ({back} brings them back)", [(m, "") for m in went_quiet]
    )
    _line(text, "Paused by themselves", [(m, "") for m in own_pause])


def leaves_anyone_out(plan: RoundPlan) -> bool:
    """Whether the moderators should hear of the round: someone fits nobody or went quiet, or
    nobody was paired at all."""
    return bool(plan.outcome.unmatched or plan.gone_quiet or not plan.outcome.groups)


def _line(text: Composer, label: str, people: Sequence[tuple[Member, str]]) -> None:
    if not people:
        return
    text.add(f"\n{label}: ")
    for n, (member, why) in enumerate(people):
        text.add(", " if n else "")
        text.about(member.id, member.display_name)
        if why:
            text.add(f" ({why})")

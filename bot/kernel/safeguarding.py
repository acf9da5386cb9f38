"""Who the programme pairs, and whom it puts together: the rules that keep minors safe.

Rules:
- pairing (/findbuddy and circle rounds) is for people: never a bot, and a moderator only after
  opting in (`/profile set buddy-pool on`), so staff who run the programme are never paired with
  a student by chance;
- an adult and a minor (`Member.is_adult`) are never put together, in a pair, a trio or a group,
  unless `[programme] adults_paired_with_minors`; where it allows them, every pairing that puts
  them together is copied to the moderators by DM, with who is the adult (the matcher holds the
  rule itself: `bot.matching`);
- when someone is marked an adult, their open pairings with minors end, unless they are allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.kernel.command_refs import command_ref
from bot.kernel.endings import end_pairings
from bot.kernel.mentions import Composer
from bot.kernel.model import Destination, Member, OutgoingMessage, Pairing
from bot.kernel.moderators import tell_moderators
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings

NOT_IN_POOL = (
    "Moderators are not in the buddy pool, so that nothing pairs staff with a student by chance. "
    f"{command_ref('/profile set buddy-pool on')} puts you in it."
)


def in_pairing_pool(member: Member) -> bool:
    """Whether /findbuddy and circle rounds may pair this member at all."""
    return not member.is_bot and (not member.is_moderator or member.profile.buddy_pool)


def mixes_adults_and_minors(members: Iterable[Member]) -> bool:
    return len({m.is_adult for m in members}) > 1


async def copy_introduction(
    uow: UnitOfWork, pairing: Pairing, where: str, settings: CoreSettings, now: datetime
) -> None:
    """Where an adult was put with a minor (the programme allows it), the moderators are copied:
    who, where, and which of them is the adult. Once per pairing."""
    members = [seat.member for seat in pairing.seats]
    if not mixes_adults_and_minors(members):
        return
    text = Composer()
    text.add(
        f"Copy for the moderators: {where} put an adult with a minor, which this programme "
        "allows with you copied. Together: "
    )
    for n, m in enumerate(members):
        text.add(", " if n else "")
        text.about(m.id, f"{m.display_name}{' (adult)' if m.is_adult else ''}")
    text.add(". Each was sent who they are with and why.")
    await tell_moderators(
        uow,
        pairing.workspace,
        settings,
        f"pairing:{pairing.id}:copied",
        text.text,
        now,
        mentions=text.mentions,
    )


async def end_pairings_with_minors(
    uow: UnitOfWork, adult: Member, settings: CoreSettings, now: datetime
) -> list[Pairing]:
    """End the open pairings that put this (newly marked) adult with a minor, unless the
    programme allows those; everyone in them is told it ended. Returns the pairings ended."""
    if settings.programme.adults_paired_with_minors:
        return []
    ended = []
    for pairing in await uow.buddies.open_pairings_of(adult.id):
        if any(not m.is_adult for m in pairing.others(adult.id)):
            await _end(uow, pairing, now, settings)
            ended.append(pairing)
    return ended


async def _end(uow: UnitOfWork, pairing: Pairing, now: datetime, settings: CoreSettings) -> None:
    """End it, asking nobody to reflect or stay in touch: the two were separated on purpose
    (bot.kernel.endings)."""
    reason = "an adult and a minor may not be paired"
    await end_pairings(uow, [pairing], now, settings, reason, ask=False)
    for seat in pairing.seats:
        others = ", ".join(m.display_name for m in pairing.others(seat.member.id))
        await uow.outbox.add(
            OutgoingMessage(
                f"pairing:{pairing.id}:ended:{seat.member.id}",
                Destination.dm(seat.member.ref),
                f"Your buddy pairing with {others} has ended: a moderator changed who may be "
                f"paired together. {command_ref('/findbuddy')} finds a new buddy whenever you "
                "like.",
            ),
            now,
        )

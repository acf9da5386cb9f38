"""Erasing a member's personal data (/privacy delete confirm), all in the command's one unit of
work.

Rules:
- erased: their profile and name, their platform id, their circle memberships, their place in
  the buddy queue, what they wrote (check-in answers, skip reasons, concerns, kudos reasons) and
  what was written about them (kudos reasons they received, the reasons of their pairings),
  their milestones, their blocks and everyone's blocks of them, and the messages waiting for
  them, which are never sent;
- kept, anonymous: the member record, as `(former member)` under a platform id nobody has, and
  the pairings, kudos and check-in statuses it took part in (but no seat in a group that goes
  on), so the programme's counts still add up. It is listed nowhere (no circles, not on walls
  or leaderboards, never paired again); the moderators see `(former member)` wherever it is
  named, the audit trail too;
- their open pairs end; each partner is told that pairing ended, naming neither a reason nor
  who left. A group of three or more goes on without them: their seat goes, the others keep
  the pairing and their reasons (less the line about the erased member), and are told one
  person left, not who;
- what others were sent about them is found by who they are (its key, or the parts of it
  recorded as theirs, see bot.kernel.mentions), never by their name's text: those parts read
  `(former member)`; a message about a pairing that ended with them is dropped, and a
  "did you meet?" to the others of a group that goes on is asked again without them;
- what someone else wrote for the moderators stays theirs: a concern they raised, or the
  reason they gave for ending a pairing with the erased member (read with `(former member)`
  where the erased member is named; the reason's own words are the writer's);
- the person's account is a new member if they come back;
- the audit trail records that a member erased their data, with no personal detail.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from bot.kernel.checkin_withdrawal import withdraw_member
from bot.kernel.command_refs import command_ref
from bot.kernel.endings import end_pairings
from bot.kernel.local_time import shown_day, zone_of
from bot.kernel.mentions import Composer
from bot.kernel.model import (
    Action,
    Destination,
    Member,
    MemberRef,
    NewAuditEntry,
    OutgoingMessage,
    Pairing,
    Profile,
    RequestStatus,
)
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise
from bot.privacy.ports import privacy_repository

FORMER_MEMBER = "(former member)"
GOES_ON = 2
"""Others left in an open pairing for it to go on without an erased member: a trio or more."""
ERASED_ID_PREFIX = "erased-"
CONFIRM = Action("Yes, erase my data", "/privacy delete confirm", "danger")

WHAT_ERASING_DOES = (
    "This erases your personal data for good; it cannot be undone.\n"
    "Erased: your name and profile, your circle memberships, your place in the buddy queue, "
    "your check-in answers, the concerns you raised, the reasons on kudos you gave or received, "
    "why you were paired, your milestones and your blocks, your goals and their notes, your "
    "reflections, the people you stay in touch with, the agreements you confirmed, and the notes "
    "on meetings you rated or were rated in. Messages waiting for you are cancelled.\n"
    "Your open pairings end (a group of three or more goes on without you); your buddies are "
    "told only that the pairing ended, or that one person left.\n"
    f"Kept without your name, as {FORMER_MEMBER}: that your pairings and kudos happened, "
    "whether check-ins were answered and the scores meetings were rated, so the programme's "
    "counts still add up. The audit trail "
    "keeps that a member erased their data, not who.\n"
    "If you use the bot again, you start as a new member. Want a copy first? "
    f"{command_ref('/privacy export')}\nTo erase: {command_ref('/privacy delete confirm')}"
)
ERASED = (
    "Done: your personal data is erased. What stays is anonymous and cannot be traced back to "
    "you. If you use the bot again, you start afresh as a new member. Take care!"
)


async def erase_member(
    uow: UnitOfWork, member: Member, now: datetime, settings: CoreSettings
) -> None:
    await _end_memberships(uow, member.id, now)
    await _leave_queue(uow, member)
    await _end_pairings(uow, member, now, settings)
    await privacy_repository(uow).erase_records(member, FORMER_MEMBER)
    _anonymise(member, now)
    await uow.members.save(member)
    await uow.audit.add(
        NewAuditEntry(member.ref.workspace, member, "privacy.delete", "", "", now, about=member)
    )


async def _end_memberships(uow: UnitOfWork, member_id: int, now: datetime) -> None:
    for circle_id in sorted(await uow.circles.circle_ids_of(member_id)):
        membership = await uow.circles.membership(circle_id, member_id)
        if membership is not None:
            await uow.circles.remove_membership(membership)
        await withdraw_member(uow, circle_id, member_id, now)


async def _leave_queue(uow: UnitOfWork, member: Member) -> None:
    await uow.buddies.lock_queue(member.ref.workspace)
    request = await uow.buddies.waiting_of(member.id)
    if request is not None:
        request.status = RequestStatus.CANCELLED
        await uow.buddies.save_request(request)


async def _end_pairings(
    uow: UnitOfWork, member: Member, now: datetime, settings: CoreSettings
) -> None:
    """A pair ends; a group of three or more goes on without them (their seat is taken out with
    their records, see `PrivacyRepository.erase_records`)."""
    for pairing in await uow.buddies.open_pairings_of(member.id):
        others = pairing.others(member.id)
        if len(others) >= GOES_ON:
            for other in others:
                await uow.outbox.add(_one_left(pairing, member, other, settings), now)
            continue
        for other in others:
            since = shown_day(pairing.created_at, zone_of(other, settings))
            text = (
                f"Your buddy pairing from {since} has ended. {command_ref('/buddy')} shows the "
                f"buddies you have; {command_ref('/findbuddy')} finds a new one whenever you like."
            )
            await uow.outbox.add(OutgoingMessage.notice(Destination.dm(other.ref), text), now)
        await end_pairings(uow, [pairing], now, settings, None, leaving=member)  # after the news


def _one_left(
    pairing: Pairing, leaver: Member, reader: Member, settings: CoreSettings
) -> OutgoingMessage:
    """To one of a group that goes on: someone left (not who), and whom they are still with,
    each name recorded as theirs."""
    since = shown_day(pairing.created_at, zone_of(reader, settings))
    staying = [m for m in pairing.others(reader.id) if m.id != leaver.id]
    text = Composer()
    text.add(f"One person has left your buddy group from {since}; you are still with ")
    for n, other in enumerate(staying):
        text.add("" if n == 0 else " and " if n == len(staying) - 1 else ", ")
        text.about(other.id, neutralise(other.display_name, 60))
    text.add(f". {command_ref('/buddy')} shows it.")
    notice = OutgoingMessage.notice(Destination.dm(reader.ref), text.text)
    return replace(notice, mentions=text.mentions)


def _anonymise(member: Member, now: datetime) -> None:
    ref = member.ref
    member.ref = MemberRef(ref.platform, ref.workspace_id, ERASED_ID_PREFIX + secrets.token_hex(16))
    member.display_name, member.is_moderator = FORMER_MEMBER, False
    member.profile = Profile(public_kudos=False, listed=False)
    member.paused_until = None
    member.heard_from()
    member.unreachable_since = member.unreachable_reason = None
    member.erased_at = now

"""Erasure's second half: a member's traces in what others were sent (the outbox) and in the
audit trail, found by id wherever that was recorded.

Rules:
- the parts of a message recorded as the member's (`outbox.mentions`, see bot.kernel.mentions)
  are rewritten, in a message sent, waiting or being sent;
- a name's text is searched for only where nothing recorded whom a part is about: moderators'
  check-in summaries queued before messages recorded that, and audit entries about or by the
  member, as a whole word; no other entry is touched (a name shared with a circle or a teacher
  never rewrites their trail);
- a message of a group that goes on which names them without recording where is deleted (never
  one being sent), and a "did you meet?" still waiting is asked again, without them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import String, cast, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.kernel.mentions import without_member
from bot.kernel.model import OutboxStatus, WorkspaceRef
from storage.buddies.tables import SeatRow
from storage.moderation.mapping import AUDIT_SUBJECT_LIMIT
from storage.moderation.tables import AuditEntryRow
from storage.outbox.mapping import mentions_from_json, mentions_to_json
from storage.outbox.tables import OutboxRow
from storage.privacy.messages import KEYS_PER_STATEMENT, NOT_SENDING, chunks
from storage.queries import of_workspace


def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


async def drop_unrecorded(
    session: AsyncSession, pairing_ids: Sequence[int], member_id: int
) -> None:
    """Messages of groups that go on which name the member without recording where (a
    "did you meet?", or one queued before messages recorded it) are deleted; a "did you
    meet?" still waiting is asked again, without them, when it was due."""
    for chunk in chunks([f"pairing:{i}:" for i in pairing_ids], KEYS_PER_STATEMENT):
        keyed = [col(OutboxRow.key).startswith(p, autoescape=True) for p in chunk]
        rows = await session.execute(select(OutboxRow).where(NOT_SENDING, or_(*keyed)))
        for row in rows.scalars():
            if str(member_id) in row.mentions:
                continue
            if row.status == OutboxStatus.PENDING.value:
                await _ask_again(session, row)
            await session.delete(row)
    await session.flush()


async def _ask_again(session: AsyncSession, row: OutboxRow) -> None:
    """`pairing:<pairing>:ask:<member>:<when>`: that seat is asked again when it was due."""
    _, pairing_id, kind, seat_member_id, *_ = row.key.split(":", 4)
    if kind != "ask" or not (pairing_id.isdecimal() and seat_member_id.isdecimal()):
        return
    await session.execute(
        update(SeatRow)
        .where(
            col(SeatRow.pairing_id) == int(pairing_id),
            col(SeatRow.member_id) == int(seat_member_id),
            col(SeatRow.ask_at).is_(None),
        )
        .values(ask_at=row.next_attempt_at)
    )


async def rewrite_mentions(
    session: AsyncSession, workspace: WorkspaceRef, member_id: int, label: str
) -> None:
    """Every message left that records parts of it as the member's (sent, waiting or being
    sent) has those parts replaced (see bot.kernel.mentions)."""
    rows = await session.execute(
        select(OutboxRow).where(
            of_workspace(OutboxRow, workspace),
            cast(col(OutboxRow.mentions), String).contains(f'"{member_id}"', autoescape=True),
        )
    )
    for row in rows.scalars():
        if str(member_id) not in row.mentions:
            continue
        text, kept = without_member(row.text, mentions_from_json(row.mentions), member_id, label)
        row.text, row.mentions = text, mentions_to_json(kept)
    await session.flush()


async def scrub_audit(
    session: AsyncSession, member_id: int, kudos_ids: Sequence[int], name: str, label: str
) -> None:
    """A kudos revoked is named by its number alone (`kudos 4`): whoever gave or received
    it is the kudos' business, found by id. Entries about them or by them name `label`
    instead of them, as a whole word (what a moderator wrote, and entries written before
    names were kept out of subjects); no other entry is touched (a name shared with a
    circle or a teacher never rewrites their trail)."""
    for kudos_id in kudos_ids:
        await session.execute(
            update(AuditEntryRow)
            .where(
                col(AuditEntryRow.action) == "kudos.revoke",
                col(AuditEntryRow.subject).startswith(f"kudos {kudos_id} ", autoescape=True),
            )
            .values(subject=f"kudos {kudos_id}")
        )
    if not name.strip():
        return
    rows = (
        await session.execute(
            select(AuditEntryRow).where(
                or_(
                    col(AuditEntryRow.about_id) == member_id,
                    col(AuditEntryRow.actor_id) == member_id,
                )
            )
        )
    ).scalars()
    word = _whole_word(name)
    for row in rows:
        row.subject = word.sub(label, row.subject)[:AUDIT_SUBJECT_LIMIT]
        row.detail = word.sub(label, row.detail)
    await session.flush()


async def scrub_digests(
    session: AsyncSession, workspace: WorkspaceRef, name: str, label: str
) -> None:
    """Moderators' check-in summaries queued before messages recorded whom each part is
    about (so `rewrite_mentions` cannot find them): their name, as it is now, reads `label`
    and the skip reason written after it goes."""
    if not name.strip():
        return
    rows = (
        await session.execute(
            select(OutboxRow).where(
                of_workspace(OutboxRow, workspace),
                col(OutboxRow.key).startswith("digest:"),
                cast(col(OutboxRow.mentions), String) == "{}",
                col(OutboxRow.text).contains(name, autoescape=True),
            )
        )
    ).scalars()
    named = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)(?: \([^)]*\))?")
    for row in rows:
        row.text = named.sub(label, row.text)
    await session.flush()

"""A member's export and erasure, the retention purge, and the audit trail read with whom each
entry is about, over one AsyncSession.

Rules:
- an export reads only rows that are the member's own or point at them, each part oldest first,
  and other people only as the names the member was shown; it names a private circle only when
  the member is in it, was paired or raised a concern in it, or received a kudos for it;
- erasure and the purge blank texts in place where a row is counted (check-ins, kudos, seats,
  pairings) and delete rows nothing counts (flags, milestones, blocks, messages); an erased
  member's seat in a group that goes on is deleted, and the others' reasons lose the line about
  them;
- erasure finds what others were sent about the member by id: messages keyed by their flags,
  kudos and ended pairings are deleted, and the parts of any other message recorded as theirs
  (`outbox.mentions`, see bot.kernel.mentions) are rewritten; a name's text is searched for only in
  summaries queued before messages recorded that, and in audit entries about or by them;
- a message being sent right now (`sending`) is never deleted: the dispatcher holds its id, and
  SQLite may give a deleted row's id to the next message;
- deleting a flag deletes the messages keyed by it, so a new flag that gets the same id on
  SQLite is never taken for one already sent;
- the purge's statements find only what is left to purge through partial or plain indexes, so
  once done they cost next to nothing and may run every tick.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Executable, String, cast, delete, literal, or_, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.mentions import without_member
from bot.kernel.model import (
    AuditEntry,
    BuddyRequest,
    Checkin,
    Circle,
    CircleRole,
    Flag,
    Kudos,
    Member,
    MemberRef,
    Membership,
    MilestoneKind,
    OutboxStatus,
    Pairing,
    PersonalData,
    RequestStatus,
    Seat,
    WorkspaceRef,
)
from bot.kernel.ports import Purged
from storage.kudos_repository import SqlAuditRepository
from storage.mapping import (
    AUDIT_SUBJECT_LIMIT,
    audit_entry_from_row,
    checkin_from_row,
    circle_from_row,
    kudos_from_row,
    member_from_row,
    mentions_from_json,
    mentions_to_json,
    pairing_from_row,
    seat_from_row,
)
from storage.repositories import of_workspace
from storage.tables import (
    HOLDS_ANSWERS,
    AuditEntryRow,
    BlockRow,
    BuddyRequestRow,
    CheckinRow,
    CircleRow,
    FlagRow,
    KudosRow,
    MemberRow,
    MembershipRow,
    MilestoneRow,
    OutboxRow,
    PairingRow,
    SeatRow,
)

NOT_SENDING = col(OutboxRow.status) != OutboxStatus.SENDING.value
FINISHED = (OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.UNCERTAIN.value)
GROUP_GOES_ON = 2
"""Others left in an open pairing for it to go on without an erased member (as
bot.privacy.erasure decides it)."""
KEYS_PER_STATEMENT = 200
"""Key prefixes matched in one DELETE: SQLite parses a long OR as a deep expression tree."""


def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


class SqlPrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # The export

    async def personal_data(self, member: Member) -> PersonalData:
        assert member.id is not None
        member_id = member.id
        since = await self._session.scalar(
            select(MemberRow.created_at).where(col(MemberRow.id) == member_id)
        )
        assert since is not None
        pairings = await self._pairings(member_id)
        kudos = await self._kudos(member_id)
        flags = await self._flags(member)
        memberships = await self._memberships(member)
        theirs = {p.circle_id for p in pairings} | {f.circle_id for f in flags}
        theirs |= {c.id for c, _ in memberships}
        theirs |= {k.circle_id for k in kudos if k.recipient.id == member_id}
        # A kudos they gave may point at a circle of the recipient's they were never in: named
        # only when it is open, since a private circle is nobody else's to know of.
        given_elsewhere = {k.circle_id for k in kudos} - theirs
        names = await self._circle_names({i for i in theirs if i is not None})
        names |= await self._circle_names({i for i in given_elsewhere if i is not None}, True)
        return PersonalData(
            member=member,
            member_since=since,
            memberships=memberships,
            requests=await self._requests(member),
            pairings=pairings,
            checkins=await self._checkins(member),
            kudos=kudos,
            flags=flags,
            milestones=await self._milestones(member_id),
            blocks=await self._blocks(member_id),
            audit=await self._audit_about(member),
            circle_names=names,
        )

    async def _memberships(self, member: Member) -> list[tuple[Circle, Membership]]:
        rows = await self._session.execute(
            select(MembershipRow, CircleRow)
            .join(CircleRow, col(CircleRow.id) == col(MembershipRow.circle_id))
            .where(col(MembershipRow.member_id) == member.id)
            .order_by(col(MembershipRow.joined_at), col(MembershipRow.id))
        )
        return [
            (
                circle_from_row(circle),
                Membership(
                    m.circle_id,
                    member,
                    CircleRole(m.role),
                    m.facilitator,
                    m.joined_at,
                    m.id,
                    m.sit_outs,
                ),
            )
            for m, circle in rows
        ]

    async def _requests(self, member: Member) -> list[BuddyRequest]:
        rows = await self._session.execute(
            select(BuddyRequestRow)
            .where(col(BuddyRequestRow.member_id) == member.id)
            .order_by(col(BuddyRequestRow.created_at), col(BuddyRequestRow.id))
        )
        return [
            BuddyRequest(
                member, r.created_at, r.expires_at, r.subject, RequestStatus(r.status), r.id
            )
            for r in rows.scalars()
        ]

    async def _pairings(self, member_id: int) -> list[Pairing]:
        """Every pairing they sat in, with all its seats."""
        theirs = select(SeatRow.pairing_id).where(col(SeatRow.member_id) == member_id)
        pairing_rows = (
            await self._session.execute(
                select(PairingRow)
                .where(col(PairingRow.id).in_(theirs))
                .order_by(col(PairingRow.created_at), col(PairingRow.id))
            )
        ).scalars()
        seats: dict[int, list[Seat]] = defaultdict(list)
        members: dict[int, Member] = {}
        for seat_row, member_row in await self._session.execute(
            select(SeatRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(SeatRow.member_id))
            .where(col(SeatRow.pairing_id).in_(theirs))
            .order_by(col(SeatRow.id))
        ):
            seated = members.setdefault(seat_row.member_id, member_from_row(member_row))
            seats[seat_row.pairing_id].append(seat_from_row(seat_row, seated))
        return [pairing_from_row(row, seats[row.id]) for row in pairing_rows if row.id is not None]

    async def _checkins(self, member: Member) -> list[Checkin]:
        rows = await self._session.execute(
            select(CheckinRow, CircleRow)
            .join(CircleRow, col(CircleRow.id) == col(CheckinRow.circle_id))
            .where(col(CheckinRow.member_id) == member.id)
            .order_by(col(CheckinRow.scheduled_at), col(CheckinRow.id))
        )
        circles: dict[int, Circle] = {}
        return [
            checkin_from_row(row, circles.setdefault(row.circle_id, circle_from_row(c)), member)
            for row, c in rows
        ]

    async def _kudos(self, member_id: int) -> list[Kudos]:
        """Given and received, revoked ones too; who revoked one is left out."""
        giver, recipient = aliased(MemberRow), aliased(MemberRow)
        rows = await self._session.execute(
            select(KudosRow, giver, recipient)
            .join(giver, col(giver.id) == col(KudosRow.giver_id))
            .join(recipient, col(recipient.id) == col(KudosRow.recipient_id))
            .where(
                or_(col(KudosRow.giver_id) == member_id, col(KudosRow.recipient_id) == member_id)
            )
            .order_by(col(KudosRow.created_at), col(KudosRow.id))
        )
        return [
            kudos_from_row(row, member_from_row(g), member_from_row(r), None) for row, g, r in rows
        ]

    async def _flags(self, member: Member) -> list[Flag]:
        rows = await self._session.execute(
            select(FlagRow)
            .where(col(FlagRow.member_id) == member.id)
            .order_by(col(FlagRow.created_at), col(FlagRow.id))
        )
        return [
            Flag(
                WorkspaceRef(f.platform, f.workspace_id),
                member,
                f.text,
                f.created_at,
                f.circle_id,
                f.checkin_id,
                f.id,
            )
            for f in rows.scalars()
        ]

    async def _milestones(self, member_id: int) -> list[tuple[MilestoneKind, datetime]]:
        rows = await self._session.execute(
            select(MilestoneRow.kind, MilestoneRow.reached_at)
            .where(col(MilestoneRow.member_id) == member_id)
            .order_by(col(MilestoneRow.reached_at), col(MilestoneRow.id))
        )
        return [(MilestoneKind(kind), reached) for kind, reached in rows]

    async def _blocks(self, member_id: int) -> list[tuple[Member, datetime]]:
        rows = await self._session.execute(
            select(MemberRow, BlockRow.created_at)
            .join(BlockRow, col(BlockRow.blocked_id) == col(MemberRow.id))
            .where(col(BlockRow.member_id) == member_id)
            .order_by(col(BlockRow.created_at), col(BlockRow.id))
        )
        return [(member_from_row(blocked), since) for blocked, since in rows]

    async def _audit_about(self, member: Member) -> list[AuditEntry]:
        actor = aliased(MemberRow)
        rows = await self._session.execute(
            select(AuditEntryRow, actor)
            .outerjoin(actor, col(actor.id) == col(AuditEntryRow.actor_id))
            .where(col(AuditEntryRow.about_id) == member.id)
            .order_by(col(AuditEntryRow.created_at), col(AuditEntryRow.id))
        )
        return [audit_entry_from_row(row, by, member) for row, by in rows]

    async def _circle_names(self, circle_ids: set[int], open_only: bool = False) -> dict[int, str]:
        if not circle_ids:
            return {}
        rows = await self._session.execute(
            select(CircleRow.id, CircleRow.name).where(
                col(CircleRow.id).in_(circle_ids), ~col(CircleRow.private) if open_only else True
            )
        )
        return {circle_id: name for circle_id, name in rows if circle_id is not None}

    # Erasure

    async def erase_records(self, member: Member, label: str) -> None:
        assert member.id is not None
        member_id = member.id
        await self._session.execute(
            update(CheckinRow)
            .where(col(CheckinRow.member_id) == member_id)
            .values(answers=[], skip_reason="")
        )
        # Concerns stay counted (/stats), as rows with nothing in them.
        flag_ids = await self._ids(
            update(FlagRow)
            .where(col(FlagRow.member_id) == member_id)
            .values(text="")
            .returning(col(FlagRow.id))
        )
        kudos_ids = await self._ids(
            update(KudosRow)
            .where(
                or_(col(KudosRow.giver_id) == member_id, col(KudosRow.recipient_id) == member_id)
            )
            # The dedupe key holds a hash of the reason: a short one could be guessed back.
            .values(
                reason="",
                revoke_reason="",
                dedupe_key=literal("erased:", String) + cast(col(KudosRow.id), String),
            )
            .returning(col(KudosRow.id))
        )
        ended, going_on, reported = await self._leave_pairings(member_id)
        await self._session.execute(
            delete(BlockRow).where(
                or_(col(BlockRow.member_id) == member_id, col(BlockRow.blocked_id) == member_id)
            )
        )
        await self._session.execute(
            delete(MilestoneRow).where(col(MilestoneRow.member_id) == member_id)
        )
        prefixes = [f"flag:{i}:" for i in flag_ids] + [f"kudos:{i}:" for i in kudos_ids]
        prefixes += [f"pairing:{i}:" for i in ended]
        prefixes += [f"unreachable:{member_id}:", f"still-in:{member_id}:", f"concern:{member_id}:"]
        await self._drop_messages(
            prefixes, member.ref, [f"pairing:{i}:end-reason:" for i in reported]
        )
        await self._drop_unrecorded(going_on, member_id)
        await self._rewrite_mentions(member.ref.workspace, member_id, label)
        await self._scrub_digests(member.ref.workspace, member.display_name, label)
        await self._scrub_audit(member_id, kudos_ids, member.display_name, label)

    async def _leave_pairings(self, member_id: int) -> tuple[list[int], list[int], list[int]]:
        """Take the member out of every pairing they sat in: the lines about them go from the
        others' reasons (in a pair, all of them), and so does the end reason, unless someone
        else ended it (theirs, a report for the moderators, stays like a concern they raised).
        In a group that goes on (open, with two others or more) their seat goes; elsewhere it
        stays, with no reasons, so the pairing still counts. The ids of the pairings that ended,
        of those that go on, and of those whose end reason someone else wrote."""
        theirs = select(SeatRow.pairing_id).where(col(SeatRow.member_id) == member_id)
        reported = await self._ids(
            select(PairingRow.id).where(
                col(PairingRow.id).in_(theirs),
                col(PairingRow.end_reason).is_not(None),
                col(PairingRow.ended_by_id).is_not(None),
                col(PairingRow.ended_by_id) != member_id,
            )
        )
        await self._session.execute(
            update(PairingRow)
            .where(col(PairingRow.id).in_(theirs), col(PairingRow.id).not_in(reported))
            .values(end_reason=None)
        )
        rows = await self._session.execute(
            select(SeatRow, PairingRow.ended_at)
            .join(PairingRow, col(PairingRow.id) == col(SeatRow.pairing_id))
            .where(col(SeatRow.pairing_id).in_(theirs))
            .order_by(col(SeatRow.pairing_id), col(SeatRow.id))
        )
        pairings: dict[int, list[SeatRow]] = defaultdict(list)
        is_open: dict[int, bool] = {}
        for seat, ended_at in rows:
            pairings[seat.pairing_id].append(seat)
            is_open[seat.pairing_id] = ended_at is None
        ended, going_on = [], []
        for pairing_id, seats in pairings.items():
            mine = next(n for n, seat in enumerate(seats) if seat.member_id == member_id)
            others = len(seats) - 1
            for n, seat in enumerate(seats):
                if n != mine:
                    seat.reasons = _without_line(
                        seat.reasons, mine if mine < n else mine - 1, others
                    )
            if is_open[pairing_id] and others >= GROUP_GOES_ON:
                await self._session.delete(seats[mine])
                going_on.append(pairing_id)
            else:
                seats[mine].reasons = ""
                ended.append(pairing_id)
        await self._session.flush()
        return ended, going_on, reported

    async def _drop_unrecorded(self, pairing_ids: Sequence[int], member_id: int) -> None:
        """Messages of groups that go on which name the member without recording where (a
        "did you meet?", or one queued before messages recorded it) are deleted; a "did you
        meet?" still waiting is asked again, without them, when it was due."""
        for chunk in _chunks([f"pairing:{i}:" for i in pairing_ids], KEYS_PER_STATEMENT):
            keyed = [col(OutboxRow.key).startswith(p, autoescape=True) for p in chunk]
            rows = await self._session.execute(select(OutboxRow).where(NOT_SENDING, or_(*keyed)))
            for row in rows.scalars():
                if str(member_id) in row.mentions:
                    continue
                if row.status == OutboxStatus.PENDING.value:
                    await self._ask_again(row)
                await self._session.delete(row)
        await self._session.flush()

    async def _ask_again(self, row: OutboxRow) -> None:
        """`pairing:<pairing>:ask:<member>:<when>`: that seat is asked again when it was due."""
        _, pairing_id, kind, seat_member_id, *_ = row.key.split(":", 4)
        if kind != "ask" or not (pairing_id.isdecimal() and seat_member_id.isdecimal()):
            return
        await self._session.execute(
            update(SeatRow)
            .where(
                col(SeatRow.pairing_id) == int(pairing_id),
                col(SeatRow.member_id) == int(seat_member_id),
                col(SeatRow.ask_at).is_(None),
            )
            .values(ask_at=row.next_attempt_at)
        )

    async def _rewrite_mentions(self, workspace: WorkspaceRef, member_id: int, label: str) -> None:
        """Every message left that records parts of it as the member's (sent, waiting or being
        sent) has those parts replaced (see bot.kernel.mentions)."""
        rows = await self._session.execute(
            select(OutboxRow).where(
                of_workspace(OutboxRow, workspace),
                cast(col(OutboxRow.mentions), String).contains(f'"{member_id}"', autoescape=True),
            )
        )
        for row in rows.scalars():
            if str(member_id) not in row.mentions:
                continue
            text, kept = without_member(
                row.text, mentions_from_json(row.mentions), member_id, label
            )
            row.text, row.mentions = text, mentions_to_json(kept)
        await self._session.flush()

    async def _ids(self, statement: Executable) -> list[int]:
        result = await self._session.execute(statement)
        return [int(i) for i in result.scalars()]

    async def _drop_messages(
        self, key_prefixes: Sequence[str], to: MemberRef | None, keep: Sequence[str] = ()
    ) -> None:
        """Delete the messages whose key starts with one of the prefixes but none of `keep`,
        and those to `to`'s DMs; never one being sent."""
        if to is not None:
            await self._session.execute(
                delete(OutboxRow).where(
                    NOT_SENDING,
                    of_workspace(OutboxRow, to.workspace),
                    col(OutboxRow.kind) == "dm",
                    col(OutboxRow.target) == to.user_id,
                )
            )
        kept = [~col(OutboxRow.key).startswith(k, autoescape=True) for k in keep]
        for chunk in _chunks(key_prefixes, KEYS_PER_STATEMENT):
            keyed = [col(OutboxRow.key).startswith(p, autoescape=True) for p in chunk]
            await self._session.execute(delete(OutboxRow).where(NOT_SENDING, or_(*keyed), *kept))

    async def _scrub_audit(
        self, member_id: int, kudos_ids: Sequence[int], name: str, label: str
    ) -> None:
        """A kudos revoked is named by its number alone (`kudos 4`): whoever gave or received
        it is the kudos' business, found by id. Entries about them or by them name `label`
        instead of them, as a whole word (what a moderator wrote, and entries written before
        names were kept out of subjects); no other entry is touched (a name shared with a
        circle or a teacher never rewrites their trail)."""
        for kudos_id in kudos_ids:
            await self._session.execute(
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
            await self._session.execute(
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
        await self._session.flush()

    async def _scrub_digests(self, workspace: WorkspaceRef, name: str, label: str) -> None:
        """Moderators' check-in summaries queued before messages recorded whom each part is
        about (so `_rewrite_mentions` cannot find them): their name, as it is now, reads `label`
        and the skip reason written after it goes."""
        if not name.strip():
            return
        rows = (
            await self._session.execute(
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
        await self._session.flush()

    # Retention

    async def purge_before(self, cutoff: datetime) -> Purged:
        unsynchronised = {"synchronize_session": False}
        answers = await self._session.execute(
            update(CheckinRow)
            .where(col(CheckinRow.closes_at) < cutoff, text(HOLDS_ANSWERS))
            .values(answers=[], skip_reason="")
            .execution_options(**unsynchronised)
        )
        # A concern's words go; the row stays, so /stats still counts it.
        flag_ids = await self._ids(
            update(FlagRow)
            .where(col(FlagRow.created_at) < cutoff, col(FlagRow.text) != "")
            .values(text="")
            .returning(col(FlagRow.id))
            .execution_options(**unsynchronised)
        )
        await self._drop_messages([f"flag:{i}:" for i in flag_ids], None)
        messages = await self._session.execute(
            delete(OutboxRow)
            .where(col(OutboxRow.status).in_(FINISHED), col(OutboxRow.next_attempt_at) < cutoff)
            .execution_options(**unsynchronised)
        )
        return Purged(_count(answers), len(flag_ids), _count(messages))


class SqlAuditTrail(SqlAuditRepository):
    """The audit trail, each entry read with whom it was about (named as they are now)."""

    async def recent(self, workspace: WorkspaceRef, limit: int) -> list[AuditEntry]:
        """Newest first."""
        actor, about = aliased(MemberRow), aliased(MemberRow)
        rows = await self._session.execute(
            select(AuditEntryRow, actor, about)
            .outerjoin(actor, col(actor.id) == col(AuditEntryRow.actor_id))
            .outerjoin(about, col(about.id) == col(AuditEntryRow.about_id))
            .where(of_workspace(AuditEntryRow, workspace))
            .order_by(col(AuditEntryRow.created_at).desc(), col(AuditEntryRow.id).desc())
            .limit(limit)
        )
        return [audit_entry_from_row(row, by, whom) for row, by, whom in rows]


def _without_line(reasons: str, index: int, others: int) -> str:
    """A seat's reasons less the line about the partner at `index` among its `others` (one
    line each, in seat order, as bot.buddies.pairings.explain writes them; a pair's one line is all
    about the partner). Lines that cannot be told apart (more than partners) all go."""
    lines = reasons.split("\n")
    if len(lines) > others:
        return ""
    return "\n".join(line for n, line in enumerate(lines) if n != index)


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    return (items[i : i + size] for i in range(0, len(items), size))


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)

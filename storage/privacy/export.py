"""A member's export: everything stored about them, over one AsyncSession.

Rules:
- an export reads only rows that are the member's own or point at them, each part oldest first;
- other people appear only as the names the member was shown;
- it names a private circle only when the member is in it, was paired or raised a concern in
  it, or received a kudos for it; a circle of a kudos they gave elsewhere is named only when it
  is open.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import (
    AuditEntry,
    BuddyRequest,
    Checkin,
    Circle,
    Flag,
    Kudos,
    Member,
    Membership,
    MilestoneKind,
    Pairing,
    Seat,
)
from bot.privacy.ports import PersonalData
from storage.agreements.tables import AgreementRow
from storage.buddies.mapping import pairing_from_row, request_of, seat_from_row
from storage.buddies.tables import BlockRow, BuddyRequestRow, PairingRow, SeatRow
from storage.checkins.mapping import checkin_from_row
from storage.checkins.tables import CheckinRow
from storage.circles.mapping import circle_from_row, membership_of
from storage.circles.tables import CircleRow, MembershipRow
from storage.connections.repository import SqlConnectionRepository
from storage.feedback.privacy import ratings_given
from storage.flags.mapping import flag_from_row
from storage.flags.tables import FlagRow
from storage.goals.repository import SqlGoalRepository
from storage.kudos.mapping import kudos_from_row
from storage.kudos.tables import KudosRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow, MilestoneRow
from storage.moderation.mapping import audit_entry_from_row
from storage.moderation.tables import AuditEntryRow
from storage.queries import SessionRepository
from storage.saved import row_id


class SqlExport(SessionRepository):
    async def personal_data(self, member: Member) -> PersonalData:
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
            goals=await SqlGoalRepository(self._session).all_of(member_id),
            reflections=await SqlConnectionRepository(self._session).reflections_of(member_id),
            connections=await SqlConnectionRepository(self._session).connections_of(member_id),
            ratings_given=await ratings_given(self._session, member_id),
            agreements=await self._agreements(member_id),
        )

    async def _agreements(self, member_id: int) -> dict[int, datetime]:
        rows = await self._session.execute(
            select(col(AgreementRow.pairing_id), col(AgreementRow.confirmed_at)).where(
                col(AgreementRow.member_id) == member_id
            )
        )
        return {pairing_id: at for pairing_id, at in rows}

    async def _memberships(self, member: Member) -> list[tuple[Circle, Membership]]:
        rows = await self._session.execute(
            select(MembershipRow, CircleRow)
            .join(CircleRow, col(CircleRow.id) == col(MembershipRow.circle_id))
            .where(col(MembershipRow.member_id) == member.id)
            .order_by(col(MembershipRow.joined_at), col(MembershipRow.id))
        )
        return [(circle_from_row(circle), membership_of(m, member)) for m, circle in rows]

    async def _requests(self, member: Member) -> list[BuddyRequest]:
        rows = await self._session.execute(
            select(BuddyRequestRow)
            .where(col(BuddyRequestRow.member_id) == member.id)
            .order_by(col(BuddyRequestRow.created_at), col(BuddyRequestRow.id))
        )
        return [request_of(r, member) for r in rows.scalars()]

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
        return [pairing_from_row(row, seats[row_id(row)]) for row in pairing_rows]

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
        return [flag_from_row(f, member) for f in rows.scalars()]

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
        return {row_id(circle): circle.name for circle in rows}

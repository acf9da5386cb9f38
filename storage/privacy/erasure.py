"""A member's erasure, over one AsyncSession: their rows, their seats, and (through
storage.privacy.traces) what others were sent or wrote about them.

Rules:
- texts are blanked in place where a row is counted (check-ins, concerns, kudos, seats,
  pairings) and rows nothing counts are deleted (milestones, blocks, agreements confirmed,
  messages, their reflections and connections, their appointment as a moderator; a
  reflection someone else wrote about them stays theirs);
- an erased member's seat in a group that goes on is deleted, and the others' reasons lose the
  line about them; elsewhere the seat stays, with no reasons, so the pairing still counts;
- messages keyed by their flags, kudos and ended pairings are deleted, and so are their DMs and
  the messages about them being unreachable, still in or raising a concern (see
  storage.privacy.messages: never one being sent); a pairing's end reason someone else wrote
  stays, with its messages, like a concern they raised.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import String, cast, delete, literal, or_, update
from sqlmodel import col, select

from bot.kernel.model import Member
from storage.agreements.tables import AgreementRow
from storage.buddies.tables import BlockRow, PairingRow, SeatRow
from storage.checkins.tables import CheckinRow
from storage.connections.erasure import erase_connections
from storage.feedback.privacy import erase_ratings
from storage.flags.tables import FlagRow
from storage.goals.tables import GoalNoteRow, GoalRow, GoalSharingRow
from storage.kudos.tables import KudosRow
from storage.members.tables import MilestoneRow
from storage.privacy.messages import drop_messages, ids
from storage.privacy.traces import drop_unrecorded, rewrite_mentions, scrub_audit, scrub_digests
from storage.queries import SessionRepository, of_workspace
from storage.settings.tables import WorkspaceModeratorRow

GROUP_GOES_ON = 2
"""Others left in an open pairing for it to go on without an erased member (as
bot.privacy.erasure decides it)."""


class SqlErasure(SessionRepository):
    async def erase_records(self, member: Member, label: str) -> None:
        member_id = member.id
        await self._session.execute(
            update(CheckinRow)
            .where(col(CheckinRow.member_id) == member_id)
            .values(answers=[], skip_reason="")
        )
        # Concerns stay counted (/stats), as rows with nothing in them.
        flag_ids = await ids(
            self._session,
            update(FlagRow)
            .where(col(FlagRow.member_id) == member_id)
            .values(text="")
            .returning(col(FlagRow.id)),
        )
        kudos_ids = await ids(
            self._session,
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
            .returning(col(KudosRow.id)),
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
        await self._erase_goals(member_id)
        await erase_connections(self._session, member_id)
        await self._session.execute(
            delete(WorkspaceModeratorRow).where(
                of_workspace(WorkspaceModeratorRow, member.ref.workspace),
                col(WorkspaceModeratorRow.user_id) == member.ref.user_id,
            )
        )
        await self._session.execute(
            delete(AgreementRow).where(col(AgreementRow.member_id) == member_id)
        )
        prefixes = [f"flag:{i}:" for i in flag_ids] + [f"kudos:{i}:" for i in kudos_ids]
        prefixes += [f"pairing:{i}:" for i in ended]
        prefixes += [f"unreachable:{member_id}:", f"still-in:{member_id}:", f"concern:{member_id}:"]
        await drop_messages(
            self._session, prefixes, member.ref, [f"pairing:{i}:end-reason:" for i in reported]
        )
        await erase_ratings(self._session, member_id)
        await drop_unrecorded(self._session, going_on, member_id)
        await rewrite_mentions(self._session, member.ref.workspace, member_id, label)
        await scrub_digests(self._session, member.ref.workspace, member.display_name, label)
        await scrub_audit(self._session, member_id, kudos_ids, member.display_name, label)

    async def _erase_goals(self, member_id: int) -> None:
        """Their goals go, with their notes and their sharing: nothing counts them afterwards."""
        goals = select(GoalRow.id).where(col(GoalRow.member_id) == member_id)
        await self._session.execute(delete(GoalNoteRow).where(col(GoalNoteRow.goal_id).in_(goals)))
        await self._session.execute(delete(GoalRow).where(col(GoalRow.member_id) == member_id))
        await self._session.execute(
            delete(GoalSharingRow).where(col(GoalSharingRow.member_id) == member_id)
        )

    async def _leave_pairings(self, member_id: int) -> tuple[list[int], list[int], list[int]]:
        """Take the member out of every pairing they sat in: the lines about them go from the
        others' reasons (in a pair, all of them), and so does the end reason, unless someone
        else ended it (theirs, a report for the moderators, stays like a concern they raised).
        In a group that goes on (open, with two others or more) their seat goes; elsewhere it
        stays, with no reasons, so the pairing still counts. The ids of the pairings that ended,
        of those that go on, and of those whose end reason someone else wrote."""
        theirs = select(SeatRow.pairing_id).where(col(SeatRow.member_id) == member_id)
        reported = await ids(
            self._session,
            select(PairingRow.id).where(
                col(PairingRow.id).in_(theirs),
                col(PairingRow.end_reason).is_not(None),
                col(PairingRow.ended_by_id).is_not(None),
                col(PairingRow.ended_by_id) != member_id,
            ),
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


def _without_line(reasons: str, index: int, others: int) -> str:
    """A seat's reasons less the line about the partner at `index` among its `others` (one
    line each, in seat order, as bot.buddies.pairings.explain writes them; a pair's one line is all
    about the partner). Lines that cannot be told apart (more than partners) all go."""
    lines = reasons.split("\n")
    if len(lines) > others:
        return ""
    return "\n".join(line for n, line in enumerate(lines) if n != index)

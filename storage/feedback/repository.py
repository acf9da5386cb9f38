"""Ratings of meetings over one AsyncSession.

Rules: a member's met pairings are those they sat in with a seat answered "met", newest first;
a rating is found by its pairing, rater and partner (unique), so the core replaces one rather
than adding a second."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import col, select

from bot.feedback.ports import MetPairing, Rated
from bot.kernel.model import MeetingAnswer
from bot.kernel.model.feedback import MeetingRating, NewMeetingRating
from storage.buddies.tables import PairingRow, SeatRow
from storage.feedback.mapping import rating_from_row, rating_to_row
from storage.feedback.tables import MeetingRatingRow
from storage.queries import SessionRepository
from storage.saved import row_id, saved


class SqlFeedbackRepository(SessionRepository):
    async def met_pairings(self, member_id: int) -> list[MetPairing]:
        mine = select(SeatRow.pairing_id).where(col(SeatRow.member_id) == member_id)
        met = select(SeatRow.pairing_id).where(col(SeatRow.answer) == MeetingAnswer.MET.value)
        rows = await self._session.execute(
            select(PairingRow.id, PairingRow.circle_id, PairingRow.ended_at, SeatRow.member_id)
            .join(SeatRow, col(SeatRow.pairing_id) == col(PairingRow.id))
            .where(col(PairingRow.id).in_(mine), col(PairingRow.id).in_(met))
            .order_by(col(PairingRow.created_at).desc(), col(PairingRow.id).desc(), col(SeatRow.id))
        )
        partners: dict[int, list[int]] = defaultdict(list)
        about: dict[int, tuple[int | None, bool]] = {}
        for pairing_id, circle_id, ended_at, seat_member in rows:
            about[pairing_id] = (circle_id, ended_at is None)
            if seat_member != member_id:
                partners[pairing_id].append(seat_member)
        return [
            MetPairing(pairing_id, circle_id, tuple(partners[pairing_id]), is_open)
            for pairing_id, (circle_id, is_open) in about.items()
        ]

    async def rating_of(
        self, pairing_id: int, rater_id: int, rated_id: int
    ) -> MeetingRating | None:
        row = (
            await self._session.execute(
                select(MeetingRatingRow).where(
                    col(MeetingRatingRow.pairing_id) == pairing_id,
                    col(MeetingRatingRow.rater_id) == rater_id,
                    col(MeetingRatingRow.rated_id) == rated_id,
                )
            )
        ).scalar_one_or_none()
        return rating_from_row(row) if row else None

    async def add(self, rating: NewMeetingRating) -> MeetingRating:
        row = rating_to_row(rating)
        self._session.add(row)
        await self._session.flush()
        return saved(MeetingRating, rating, row_id(row))

    async def save(self, rating: MeetingRating) -> None:
        row = await self._session.get(MeetingRatingRow, rating.id)
        if row is not None:
            rating_to_row(rating, row)
            await self._session.flush()

    async def ratings_about(self, member_id: int) -> list[Rated]:
        rows = await self._session.execute(
            select(MeetingRatingRow.rater_id, MeetingRatingRow.score).where(
                col(MeetingRatingRow.rated_id) == member_id
            )
        )
        return [Rated(rater_id, score) for rater_id, score in rows]

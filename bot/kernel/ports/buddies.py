"""Storing pairings, the /findbuddy queue, rounds and blocks (`BuddyRepository`).

Rules: all within one workspace but for the jobs (expired requests, seats to ask); on-demand
matching is serialised per workspace by `lock_queue`; a round is added once per period."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from bot.kernel.model import (
    BuddyRequest,
    NewBuddyRequest,
    NewPairing,
    NewPairingRound,
    Pairing,
    PairingRound,
    Seat,
    WorkspaceRef,
)


class BuddyRepository(Protocol):
    """Pairings, the /findbuddy queue, rounds and blocks; all within one workspace."""

    async def lock_queue(self, workspace: WorkspaceRef) -> None:
        """Serialise on-demand matching in this workspace until the transaction ends, so two
        people asking at once can never both take the same waiting person."""
        ...

    async def waiting(self, workspace: WorkspaceRef) -> list[BuddyRequest]:
        """Open requests, oldest first."""
        ...

    async def waiting_of(self, member_id: int) -> BuddyRequest | None: ...

    async def add_request(self, request: NewBuddyRequest) -> BuddyRequest:
        """Store it; the request as stored, with its id."""
        ...

    async def save_request(self, request: BuddyRequest) -> None: ...

    async def expired_requests(self, now: datetime, limit: int) -> list[BuddyRequest]:
        """Waiting requests whose time is up, in every workspace."""
        ...

    async def add_pairing(self, pairing: NewPairing) -> Pairing:
        """Store it and its seats; the pairing as stored, with its id and its seats'."""
        ...

    async def save_pairing(self, pairing: Pairing) -> None:
        """Store its end and each seat's answer and next question."""
        ...

    async def add_pairings(self, pairings: Sequence[NewPairing]) -> list[Pairing]:
        """`add_pairing` for many at once (a round's), in order, in a few statements."""
        ...

    async def save_pairings(self, pairings: Sequence[Pairing]) -> None:
        """`save_pairing` for many at once (a round ending the previous one's)."""
        ...

    async def open_pairings_of(self, member_id: int) -> list[Pairing]: ...

    async def latest_pairing_between(self, member_id: int, other_id: int) -> Pairing | None: ...

    async def open_on_demand_member_ids(self, workspace: WorkspaceRef) -> set[int]: ...

    async def open_mentee_counts(self, mentor_ids: Collection[int]) -> dict[int, int]:
        """How many mentee seats each mentor has across their open pairings."""
        ...

    async def recent_on_demand_partners(
        self, member_ids: Collection[int], limit: int
    ) -> set[tuple[int, int]]:
        """Pairs of people who were buddies in one of each member's last `limit` on-demand
        pairings, as (smaller id, larger id)."""
        ...

    async def round_partners(self, circle_id: int, last_rounds: int) -> set[tuple[int, int]]:
        """Pairs of people grouped together in the circle's last `last_rounds` rounds."""
        ...

    async def seats_to_ask(self, now: datetime, limit: int) -> list[tuple[Pairing, Seat]]:
        """Seats of open pairings whose "did you meet?" question is due."""
        ...

    async def add_round(self, round_: NewPairingRound) -> PairingRound | None:
        """The round as stored, with its id; None when the circle already had a round for that
        period."""
        ...

    async def round_ran(self, circle_id: int, period: str) -> bool:
        """Whether the circle had its round for that period."""
        ...

    async def open_round_pairings(self, circle_id: int) -> list[Pairing]: ...

    async def blocked_pairs(self, member_ids: Collection[int]) -> set[tuple[int, int]]:
        """Every block between two of these members, either way, as (smaller, larger)."""
        ...

    async def meetings_held(self, member_id: int) -> int:
        """The member's seats answered "met"."""
        ...

    async def add_block(self, member_id: int, blocked_id: int, now: datetime) -> bool:
        """False when it was already blocked."""
        ...

    async def remove_block(self, member_id: int, blocked_id: int) -> bool:
        """False when there was no such block."""
        ...

"""What agreements need from storage (`AgreementRepository`), and the unit of work that carries
it (`AgreementWork`).

Only this feature reads them, so they live here, not in the kernel. Rules: ids come from
pairings of one workspace; a handler or job reaches the repository through
`agreement_repository(uow)`, never by an attribute the kernel's `UnitOfWork` does not name."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.kernel.model import Pairing
from bot.kernel.ports import UnitOfWork


class AgreementRepository(Protocol):
    async def confirm(self, pairing_id: int, member_id: int, now: datetime) -> bool:
        """Record that the member confirmed the pairing's agreement; False when they had
        already (whatever races)."""
        ...

    async def confirmations(self, pairing_ids: Collection[int]) -> dict[int, dict[int, datetime]]:
        """For each pairing, who confirmed and when."""
        ...

    async def set_aside(self, made_before: datetime, now: datetime, limit: int) -> int:
        """Mark up to `limit` open pairings made before `made_before` that can never be named
        (no mentor and mentee, or confirmed by everyone) as looked at, so no later pass reads
        them again; how many."""
        ...

    async def unconfirmed(self, made_before: datetime, limit: int) -> list[Pairing]:
        """Open pairings of a mentor and a mentee made before `made_before`, in a circle with
        agreements on (or none), that someone has not confirmed and the moderators were not
        told of yet."""
        ...

    async def note(self, pairing_ids: Collection[int], now: datetime) -> None:
        """Record that the moderators were told of these pairings (each once), which also sets
        them aside."""
        ...


@runtime_checkable
class AgreementWork(UnitOfWork, Protocol):
    """A unit of work that also carries the agreement repository (storage's does)."""

    agreements: AgreementRepository


def agreement_repository(uow: UnitOfWork) -> AgreementRepository:
    """The agreement repository of this unit of work; a TypeError names a unit of work without
    one (a wiring mistake, never a user's)."""
    if isinstance(uow, AgreementWork):
        return uow.agreements
    raise TypeError(f"{type(uow).__name__} has no agreement repository")

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Connection, NewReflection, Reflection


class ConnectionRepository(Protocol):
    """Reflections on ended pairings and the connections people kept; ids of one workspace."""

    async def asked_pairs(self, member_ids: Collection[int]) -> set[tuple[int, int]]:
        """(member, partner) for every reflection already asked of one of these members."""
        ...

    async def add_reflections(self, reflections: Sequence[NewReflection]) -> None:
        """Store them; one already asked about the same partner is left as it was."""
        ...

    async def reflection_about(self, member_id: int, partner_id: int) -> Reflection | None: ...

    async def latest_reflection(self, member_id: int) -> Reflection | None:
        """The one asked most recently of the member."""
        ...

    async def reflections_of(self, member_id: int) -> list[Reflection]:
        """All asked of the member, oldest first."""
        ...

    async def save_reflection(self, reflection: Reflection) -> None:
        """Store its answer and text."""
        ...

    async def connect(self, member_id: int, other_id: int, since: datetime) -> bool:
        """Keep the two in touch; False when they already were."""
        ...

    async def disconnect(self, member_id: int, other_id: int) -> bool:
        """End their connection, for both; False when there was none."""
        ...

    async def connections_of(self, member_id: int) -> list[Connection]:
        """Whom the member is in touch with, oldest connection first."""
        ...

"""The core's BuddyRepository: the /findbuddy queue (storage.buddies.queue), pairings and their
seats (storage.buddies.pairings) and what the matcher weighs (storage.buddies.partners), over
one AsyncSession. Each part states its own rules."""

from __future__ import annotations

from storage.buddies.pairings import SqlPairings
from storage.buddies.partners import SqlPartners
from storage.buddies.queue import SqlBuddyQueue


class SqlBuddyRepository(SqlBuddyQueue, SqlPairings, SqlPartners):
    """One session shared by the three parts (each a SessionRepository)."""

"""Retention: what is purged as time passes; each method is a job for `DueJob`.

Rules:
- check-in answers (and skip reasons), concerns, goals' progress notes, reflections on ended
  pairings, the notes of meeting ratings and delivered messages older than `[privacy]
  retention_days` are purged; a check-in keeps its status, a reflection its row and a rating its
  score, so answer rates and averages still add up;
- the purge runs at every tick rather than once a day: it finds what is left to purge through
  indexes, so when nothing is due it costs next to nothing, needs no record of when it last ran,
  and a tick missed while the bot was down is caught up by the next one. Nothing outlives its
  retention by more than a tick.
"""

from __future__ import annotations

import logging
from dataclasses import astuple
from datetime import datetime, timedelta

from bot.kernel.ports import UnitOfWorkFactory
from bot.kernel.settings import CoreSettings
from bot.privacy.ports import privacy_repository
from bot.runtime.due import DueJob

log = logging.getLogger(__name__)


class PrivacyJobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, settings: CoreSettings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    def all(self) -> list[DueJob]:
        return [self.purge_expired]

    async def purge_expired(self, now: datetime) -> None:
        cutoff = now - timedelta(days=self._settings.privacy.retention_days)
        async with self._uow_factory() as uow:
            purged = await privacy_repository(uow).purge_before(cutoff)
            await uow.commit()
        if any(astuple(purged)):
            log.info(
                "retention purge before %s: %d check-ins' answers, %d concerns, %d messages, "
                "%d goal notes, %d reflections, %d rating notes",
                cutoff.isoformat(),
                *astuple(purged),
            )

"""Retention: what is purged as time passes; each method is a job for `DueJob`.

Rules:
- check-in answers (and skip reasons), concerns, goals' progress notes, reflections on ended
  pairings, the notes of meeting ratings and delivered messages older than `[privacy]
  retention_days` (or the period the workspace's moderators chose with `/settings`) are purged; a
  check-in keeps its status, a reflection its row and a rating its score, so answer rates and
  averages still add up;
- the purge runs at every tick rather than once a day: it finds what is left to purge through
  indexes, so when nothing is due it costs next to nothing, needs no record of when it last ran,
  and a tick missed while the bot was down is caught up by the next one. Nothing outlives its
  retention by more than a tick;
- workspaces are purged in groups of the same retention period, one group per distinct period
  (the default's being every workspace that chose none), never one workspace at a time: the
  cost grows with the number of periods chosen, not with the number of workspaces. With no
  workspace choosing a period of its own, everything is purged at the default in one go.
"""

from __future__ import annotations

import logging
from dataclasses import astuple
from datetime import datetime, timedelta

from bot.kernel.ports import UnitOfWorkFactory
from bot.kernel.settings import CoreSettings
from bot.privacy.ports import Purged, RetentionGroup, privacy_repository
from bot.runtime.due import DueJob

log = logging.getLogger(__name__)


class PrivacyJobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, settings: CoreSettings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    def all(self) -> list[DueJob]:
        return [self.purge_expired]

    async def purge_expired(self, now: datetime) -> None:
        default = self._settings.privacy.retention_days
        async with self._uow_factory() as uow:
            chosen = await uow.workspace_settings.retention_choices()
            done: list[tuple[Purged, int, datetime]] = []
            for group in retention_groups(chosen, default):
                days = group.days if group else default
                cutoff = now - timedelta(days=days)
                done.append(
                    (await privacy_repository(uow).purge_before(cutoff, group), days, cutoff)
                )
            await uow.commit()
        for purged, days, cutoff in done:
            _log(purged, days, cutoff)


def retention_groups(chosen: set[int], default: int) -> list[RetentionGroup | None]:
    """One group per distinct period (`chosen` by workspaces, and the `default`); [None], every
    workspace at once, when no workspace chose a period other than the default."""
    if not chosen - {default}:
        return [None]
    return [RetentionGroup(days, default) for days in sorted(chosen | {default})]


def _log(purged: Purged, days: int, cutoff: datetime) -> None:
    if any(astuple(purged)):
        log.info(
            "retention purge (%d days) before %s: %d check-ins' answers, %d concerns, "
            "%d messages, %d goal notes, %d reflections, %d rating notes",
            days,
            cutoff.isoformat(),
            *astuple(purged),
        )

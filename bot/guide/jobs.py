"""The moderators' note of mentoring pairs whose agreement is not confirmed in time.

Rules: a pair whose agreement someone has not confirmed `CONFIRM_DAYS` after the pairing began
(open, with agreements on) is named to the workspace's moderators once, in one routine note per
pass and workspace, held for each moderator's quiet hours; each name is recorded as its
member's (bot.kernel.mentions). A pairing that can never be named (peers, or confirmed by all)
is set aside once it is old enough, so each pass reads only what it may still name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.guide.ports import agreement_repository
from bot.kernel.local_time import shown_day, workspace_zone
from bot.kernel.mentions import Composer
from bot.kernel.model import Pairing, SeatRole, WorkspaceRef
from bot.kernel.moderators import tell_moderators
from bot.kernel.ports import UnitOfWorkFactory
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise
from bot.kernel.workspace_settings import settings_for
from bot.runtime.due import DueJob
from bot.runtime.feature import Wiring

CONFIRM_DAYS = 3
BATCH = 200
SET_ASIDE_BATCH = 5_000
"""Pairings set aside in a pass: a week's rounds across a thousand workspaces in a few ticks."""


def guide_jobs(wiring: Wiring) -> Sequence[DueJob]:
    return [AgreementJobs(wiring.uow_factory, wiring.settings).note_unconfirmed]


class AgreementJobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, settings: CoreSettings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    async def note_unconfirmed(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            agreements = agreement_repository(uow)
            made_before = now - timedelta(days=CONFIRM_DAYS)
            set_aside = await agreements.set_aside(made_before, now, SET_ASIDE_BATCH)
            pairings = await agreements.unconfirmed(made_before, BATCH)
            if not pairings:
                if set_aside:
                    await uow.commit()
                return
            confirmed = await agreements.confirmations([p.id for p in pairings])
            by_workspace: dict[WorkspaceRef, list[Pairing]] = defaultdict(list)
            for pairing in pairings:
                by_workspace[pairing.workspace].append(pairing)
            for workspace, theirs in by_workspace.items():
                zone = workspace_zone(await settings_for(uow, workspace, self._settings))
                text = self._note(theirs, confirmed, zone)
                ids = ",".join(str(p.id) for p in theirs)[:120]
                key = f"agreements:unconfirmed:{ids}:{now.isoformat()}"
                await tell_moderators(
                    uow,
                    workspace,
                    self._settings,
                    key,
                    text.text,
                    now,
                    routine=True,
                    mentions=text.mentions,
                )
            await agreements.note([p.id for p in pairings], now)
            await uow.commit()

    def _note(
        self, pairings: list[Pairing], confirmed: dict[int, dict[int, datetime]], zone: ZoneInfo
    ) -> Composer:
        text = Composer()
        text.add(f"Mentoring agreements not confirmed by both after {CONFIRM_DAYS} days:")
        for pairing in pairings:
            text.add("\n• ")
            for n, seat in enumerate(pairing.seats):
                text.add(", " if n else "")
                text.about(seat.member.id, neutralise(seat.member.display_name, 60))
                role = "mentor" if seat.role is SeatRole.MENTOR else "mentee"
                done = seat.member.id in confirmed.get(pairing.id, {})
                text.add(f" ({role}, {'confirmed' if done else 'not yet'})")
            text.add(f", paired {shown_day(pairing.created_at, zone)}")
        return text

"""Due check-in prompts for the delivery tests and the fan-out bench, made the way the bot makes
them: a weekly circle of mentors whose check-in time has come, and the check-in job run once.

The circle's time was two days ago, so its check-in window is still open but its pairing round
(which runs within a day of that time) is not due: only prompts are queued, one per member, keyed
`checkin:{circle_id}:{member_id}:{period}:prompt`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.clock import ManualClock
from bot.checkins.jobs import CheckinJobs
from bot.kernel.model import (
    Cadence,
    CircleRole,
    CircleSettings,
    MemberRef,
    NewCircle,
    NewMember,
    NewMembership,
    Profile,
    ProfileRole,
    WorkspaceRef,
)
from bot.kernel.settings import CoreSettings
from bot.kernel.weekly_hours import DAYS
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.worker_process import PINNED

CHUNK = 1_000


@dataclass(frozen=True)
class Seeded:
    recipients: list[str]
    """User ids that should each get exactly one prompt."""
    job_seconds: float
    """How long the check-in job took to open them all (one tick's work)."""


def recipient(member_id: int) -> str:
    return f"m{member_id}"


async def seed_prompts(
    url: str, members: int, *, platform: str, workspace_id: str = "w1", now: datetime = PINNED
) -> Seeded:
    """A circle of `members` mentors in UTC with its check-in open at `now` (by default the moment
    every bot process under test starts its clock at), and their prompts queued by the real
    check-in job."""
    moment = (now - timedelta(days=2)).replace(second=0, microsecond=0)
    before = now - timedelta(days=3)
    quiet = f"{(now.hour + 12) % 24:02d}:00-{(now.hour + 13) % 24:02d}:00"
    workspace = WorkspaceRef(platform, workspace_id)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        uows = SqlUnitOfWorkFactory(engine, ManualClock(before))
        async with uows() as uow:
            settings = CircleSettings(
                cadence=Cadence.WEEKLY, day=DAYS[moment.weekday()], time=f"{moment:%H:%M}"
            )
            circle = await uow.circles.add(
                NewCircle(
                    workspace,
                    "mentors",
                    settings=settings,
                    created_at=before,
                    schedule_since=before,
                )
            )
            await uow.commit()
        profile = Profile(role=ProfileRole.MENTOR, timezone="UTC", quiet_hours=quiet)
        for first in range(1, members + 1, CHUNK):
            async with uows() as uow:
                for n in range(first, min(first + CHUNK, members + 1)):
                    ref = MemberRef(platform, workspace_id, recipient(n))
                    member = await uow.members.add(NewMember(ref, f"Mentor {n}", profile=profile))
                    await uow.circles.add_membership(
                        NewMembership(circle.id, member, CircleRole.MENTOR, joined_at=before)
                    )
                await uow.commit()
        started = time.perf_counter()
        await CheckinJobs(uows, CoreSettings()).open_due(now)
        job_seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    return Seeded([recipient(n) for n in range(1, members + 1)], job_seconds)

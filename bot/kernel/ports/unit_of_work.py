"""One transaction over the repositories every feature may read (`UnitOfWork`), and how to
open one (`UnitOfWorkFactory`).

Rules: leaving the block without `commit()` rolls everything back, outbox rows included. A
repository that only one feature reads is not named here: that feature declares its own
protocol extending this one (`StatsWork` in bot.stats.ports, `PrivacyWork` in
bot.privacy.ports) and reads it through that module's accessor; storage's unit of work has
them all."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from bot.kernel.ports.audit import AuditRepository
from bot.kernel.ports.blackouts import BlackoutRepository
from bot.kernel.ports.buddies import BuddyRepository
from bot.kernel.ports.checkins import CheckinRepository
from bot.kernel.ports.circles import CircleRepository
from bot.kernel.ports.connections import ConnectionRepository
from bot.kernel.ports.flags import FlagRepository
from bot.kernel.ports.goals import GoalRepository
from bot.kernel.ports.kudos import KudosRepository
from bot.kernel.ports.members import MemberRepository
from bot.kernel.ports.milestones import MilestoneRepository
from bot.kernel.ports.outbox import OutboxRepository
from bot.kernel.ports.workspace_settings import WorkspaceSettingsRepository


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without `commit()` rolls everything back."""

    members: MemberRepository
    circles: CircleRepository
    buddies: BuddyRepository
    checkins: CheckinRepository
    flags: FlagRepository
    blackouts: BlackoutRepository
    kudos: KudosRepository
    milestones: MilestoneRepository
    audit: AuditRepository
    outbox: OutboxRepository
    goals: GoalRepository
    connections: ConnectionRepository
    workspace_settings: WorkspaceSettingsRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...

"""One transaction over one AsyncSession, with the core's repositories on it: one repository
module per port, each in the storage package of its feature."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import storage.schema  # noqa: F401  (every table on the metadata, so every foreign key resolves)
from bot.feedback.ports import FeedbackRepository, FeedbackWork
from bot.guide.ports import AgreementRepository, AgreementWork
from bot.kernel.ports import (
    AuditRepository,
    BlackoutRepository,
    BuddyRepository,
    CheckinRepository,
    CircleRepository,
    Clock,
    ConnectionRepository,
    FlagRepository,
    GoalRepository,
    KudosRepository,
    MemberRepository,
    MilestoneRepository,
    OutboxRepository,
    WorkspaceSettingsRepository,
)
from bot.privacy.ports import PrivacyRepository, PrivacyWork
from bot.stats.ports import StatsRepository, StatsWork
from storage.agreements.repository import SqlAgreementRepository
from storage.buddies.repository import SqlBuddyRepository
from storage.checkins.repository import SqlCheckinRepository
from storage.circles.repository import SqlCircleRepository
from storage.connections.repository import SqlConnectionRepository
from storage.feedback.repository import SqlFeedbackRepository
from storage.flags.repository import SqlFlagRepository
from storage.goals.repository import SqlGoalRepository
from storage.kudos.repository import SqlKudosRepository
from storage.members.milestones import SqlMilestoneRepository
from storage.members.repository import SqlMemberRepository
from storage.moderation.audit import SqlAuditRepository
from storage.moderation.blackouts import SqlBlackoutRepository
from storage.outbox.repository import SqlOutboxRepository
from storage.privacy.repository import SqlPrivacyRepository
from storage.settings.repository import SqlWorkspaceSettingsRepository
from storage.stats.repository import SqlStatsRepository


class SqlUnitOfWork:
    # Typed as the core's ports (Protocol attributes are invariant), so that this class is a
    # UnitOfWork and mypy checks each repository against its port where it is assigned.
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
    connections: ConnectionRepository
    stats: StatsRepository
    privacy: PrivacyRepository
    goals: GoalRepository
    feedback: FeedbackRepository
    agreements: AgreementRepository
    workspace_settings: WorkspaceSettingsRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        await self._session.begin()
        self.members = SqlMemberRepository(self._session, self._clock)
        self.circles = SqlCircleRepository(self._session)
        self.buddies = SqlBuddyRepository(self._session)
        self.checkins = SqlCheckinRepository(self._session)
        self.flags = SqlFlagRepository(self._session)
        self.blackouts = SqlBlackoutRepository(self._session)
        self.kudos = SqlKudosRepository(self._session)
        self.milestones = SqlMilestoneRepository(self._session)
        self.audit = SqlAuditRepository(self._session)
        self.outbox = SqlOutboxRepository(self._session)
        self.connections = SqlConnectionRepository(self._session)
        self.stats = SqlStatsRepository(self._session)
        self.privacy = SqlPrivacyRepository(self._session)
        self.goals = SqlGoalRepository(self._session)
        self.feedback = SqlFeedbackRepository(self._session)
        self.agreements = SqlAgreementRepository(self._session)
        self.workspace_settings = SqlWorkspaceSettingsRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._session.in_transaction():
                await self._session.rollback()
        finally:
            await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
        self._clock = clock

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions, self._clock)


def _implements(
    uow: SqlUnitOfWork,
) -> tuple[StatsWork, PrivacyWork, FeedbackWork, AgreementWork]:
    """Never called: mypy checks here that storage's unit of work is what the stats, privacy,
    feedback and guide features ask of one (their repositories are reached by name at run
    time)."""
    return uow, uow, uow, uow

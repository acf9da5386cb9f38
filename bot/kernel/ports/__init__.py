"""What the core needs from the outside world, as Protocols that storage and adapters implement.

One module per port: the clock, each repository the kernel's unit of work carries, the unit of
work itself, the outbox's delivery side (messaging) and the solver. This package re-exports
them all, so `from bot.kernel.ports import UnitOfWork` is how everyone imports them. A port only
one feature uses lives in that feature's package (bot.stats.ports, bot.privacy.ports).

Rule: a repository's `add` takes what a new object is made of (a `New...` of bot.kernel.model)
and returns it as stored, with its id; every read returns stored objects, ids always set."""

from __future__ import annotations

from bot.kernel.ports.audit import AuditRepository
from bot.kernel.ports.blackouts import BlackoutRepository
from bot.kernel.ports.buddies import BuddyRepository
from bot.kernel.ports.checkins import CheckinRepository
from bot.kernel.ports.circles import CircleRepository
from bot.kernel.ports.clock import Clock
from bot.kernel.ports.connections import ConnectionRepository
from bot.kernel.ports.flags import FlagRepository
from bot.kernel.ports.goals import GoalRepository
from bot.kernel.ports.kudos import KudosRepository
from bot.kernel.ports.members import MemberRepository
from bot.kernel.ports.messaging import (
    Delivery,
    Failed,
    Messenger,
    OutboxStore,
    Pace,
    PacedMessenger,
    RetryLater,
    SeenEvents,
    SendBudget,
    Sent,
    TickLock,
    Uncertain,
)
from bot.kernel.ports.milestones import MilestoneRepository
from bot.kernel.ports.outbox import OutboxRepository
from bot.kernel.ports.solver import Solver, solve_here
from bot.kernel.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.kernel.ports.workspace_settings import WorkspaceSettingsRepository

__all__ = [
    "AuditRepository",
    "BlackoutRepository",
    "BuddyRepository",
    "CheckinRepository",
    "CircleRepository",
    "Clock",
    "ConnectionRepository",
    "Delivery",
    "Failed",
    "FlagRepository",
    "GoalRepository",
    "KudosRepository",
    "MemberRepository",
    "Messenger",
    "MilestoneRepository",
    "OutboxRepository",
    "OutboxStore",
    "Pace",
    "PacedMessenger",
    "RetryLater",
    "SeenEvents",
    "SendBudget",
    "Sent",
    "Solver",
    "TickLock",
    "Uncertain",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "WorkspaceSettingsRepository",
    "solve_here",
]

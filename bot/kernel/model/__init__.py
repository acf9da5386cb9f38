"""The programme's nouns as the core sees them: plain dataclasses, no storage or platform types.

One module per entity or concern (identity, members, circles, outbox, pairings, check-ins,
flags, blackouts, kudos, milestones, audit); this package re-exports them all, so
`from bot.kernel.model import Member` is how everyone imports them. Only nouns that more than
one feature (or the kernel itself) reads live here: a noun of one feature lives in that
feature's package (a member's export, `PersonalData`, is in bot.privacy.ports).

Rule: a noun storage keeps comes in two kinds: `NewX`, all it is before it is stored, which a
repository's `add` takes, and `X`, as stored, whose `id` is a required field, which `add`
returns and every read gives. So code that reads a stored object never checks for its id;
code that needs only what a new one has takes the `NewX` (a stored `X` is one too, but for
`AuditEntry`, whose actor may be gone)."""

from __future__ import annotations

from bot.kernel.model.audit import AuditEntry, NewAuditEntry
from bot.kernel.model.blackouts import Blackout, NewBlackout
from bot.kernel.model.checkins import Checkin, CheckinStatus, NewCheckin, ScheduledCircle
from bot.kernel.model.circles import (
    DEFAULT_CHECKIN_QUESTIONS,
    Cadence,
    CheckinAudience,
    Circle,
    CircleRole,
    CircleSettings,
    Membership,
    NewCircle,
    NewMembership,
    OddPolicy,
)
from bot.kernel.model.connections import Connection, NewReflection, Reflection
from bot.kernel.model.flags import Flag, NewFlag
from bot.kernel.model.goals import Goal, GoalNote, GoalStatus, NewGoal
from bot.kernel.model.identity import Actor, MemberRef, WorkspaceRef
from bot.kernel.model.kudos import Kudos, KudosCount, NewKudos
from bot.kernel.model.members import Member, NewMember, Profile, ProfileRole
from bot.kernel.model.milestones import MilestoneKind
from bot.kernel.model.outbox import (
    Action,
    Destination,
    Mention,
    OutboxEntry,
    OutboxStatus,
    OutgoingMessage,
    Priority,
)
from bot.kernel.model.pairings import (
    BuddyRequest,
    MeetingAnswer,
    NewBuddyRequest,
    NewPairing,
    NewPairingRound,
    NewSeat,
    Pairing,
    PairingKind,
    PairingRound,
    RequestStatus,
    Seat,
    SeatRole,
)

__all__ = [
    "DEFAULT_CHECKIN_QUESTIONS",
    "Action",
    "Actor",
    "AuditEntry",
    "Blackout",
    "BuddyRequest",
    "Cadence",
    "Checkin",
    "CheckinAudience",
    "CheckinStatus",
    "Circle",
    "CircleRole",
    "CircleSettings",
    "Connection",
    "Destination",
    "Flag",
    "Goal",
    "GoalNote",
    "GoalStatus",
    "Kudos",
    "KudosCount",
    "MeetingAnswer",
    "Member",
    "MemberRef",
    "Membership",
    "Mention",
    "MilestoneKind",
    "NewAuditEntry",
    "NewBlackout",
    "NewBuddyRequest",
    "NewCheckin",
    "NewCircle",
    "NewFlag",
    "NewGoal",
    "NewKudos",
    "NewMember",
    "NewMembership",
    "NewPairing",
    "NewPairingRound",
    "NewReflection",
    "NewSeat",
    "OddPolicy",
    "OutboxEntry",
    "OutboxStatus",
    "OutgoingMessage",
    "Pairing",
    "PairingKind",
    "PairingRound",
    "Priority",
    "Profile",
    "ProfileRole",
    "Reflection",
    "RequestStatus",
    "ScheduledCircle",
    "Seat",
    "SeatRole",
    "WorkspaceRef",
]

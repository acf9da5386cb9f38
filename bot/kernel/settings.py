"""The programme's settings as the core needs them; the composition root builds them from config."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.kernel.model import MemberRef, WorkspaceRef
from bot.matching import Weights

CONSOLE = "console"


@dataclass(frozen=True)
class MatchingRules:
    weights: Weights = field(default_factory=Weights)
    recent_rounds: int = 6
    """Partners from this many recent rounds (or on-demand pairings) count as repeats."""
    queue_days: int = 3
    """How long a /findbuddy waits for a fitting partner."""
    meeting_check_days: int = 3
    """How long after a pairing both are asked whether they met."""
    not_yet_days: int = 2
    """After "not yet", ask again this much later."""
    mentor_capacity: int = 3
    """Mentees at once for a mentor who has not set a capacity."""


@dataclass(frozen=True)
class CheckinRules:
    window_days: int = 3
    """How long after its scheduled time a check-in can be answered and edited."""
    reminders: int = 2
    """Reminders to someone who has not answered, spread evenly over the window."""
    quiet_after: int = 3
    """Check-ins missed in a row before the one "still in?" message."""
    still_in_days: int = 3
    """How long "still in?" waits for an answer before the member's check-ins are paused."""


class KudosGivers(StrEnum):
    MODERATORS = "moderators"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class KudosRules:
    givers: KudosGivers = KudosGivers.MODERATORS
    allowance_per_week: int = 5
    """Kudos a member (not a moderator) may give each week when everyone may give."""
    values: tuple[str, ...] = ("patience", "clarity", "kindness", "encouragement")
    """The `#value` tags a kudos may carry."""
    channel: str | None = None
    """Where kudos are posted; else the channel of a circle the two share."""
    public_leaderboard: bool = False
    """Whether `/kudos top` is for everyone rather than moderators only."""


@dataclass(frozen=True)
class PrivacyRules:
    retention_days: int = 365
    """Check-in answers, concerns and delivered messages older than this are purged."""


@dataclass(frozen=True)
class ProgrammeRules:
    """Who may be a mentor, and who may be put together."""

    self_service_mentors: bool = False
    """Whether members make themselves mentors (`/profile set role mentor`). When False (the
    default, for schools) asking is a request to the moderators, who appoint mentors."""
    adults_paired_with_minors: bool = False
    """Whether /findbuddy and circle rounds may put an adult together with a minor. When False
    (the default) they never do; when True, the moderators get a copy of every such
    introduction."""


@dataclass(frozen=True)
class MentoringRules:
    """A school's own words for the start of a mentoring pairing; None: the team's defaults
    (bot.kernel.pairing_start.DEFAULT_AGREEMENT, bot.guide.text.DEFAULT_GUIDE)."""

    agreement: str | None = None
    """The agreement a mentor and a mentee confirm, read from `[mentoring] agreement_file`."""
    guide: str | None = None
    """The guide `/guide` shows, read from `[mentoring] guide_file`."""


@dataclass(frozen=True, order=True)
class NamedModerator:
    """Someone the config names as a moderator of one workspace, and of no other.

    Rule: on Slack and Discord the workspace is always named (`discord:<server>:<user>`); only
    the console, which serves one workspace per config, leaves it out (`workspace_id` None). A
    Slack or Discord entry without a workspace moderates nothing."""

    platform: str
    workspace_id: str | None
    user_id: str

    def moderates(self, workspace: WorkspaceRef) -> bool:
        if self.platform != workspace.platform:
            return False
        if self.workspace_id is None:
            return workspace.platform == CONSOLE
        return self.workspace_id == workspace.workspace_id


@dataclass(frozen=True)
class WorkspaceChoices:
    """What one workspace's moderators chose with `/settings set`; None: the config's default.

    Rule: a choice belongs to its workspace alone; a new workspace has none, so it runs on the
    config's defaults until its moderators choose otherwise."""

    timezone: str | None = None
    kudos_givers: KudosGivers | None = None
    kudos_allowance: int | None = None
    retention_days: int | None = None
    self_service_mentors: bool | None = None
    moderators: frozenset[NamedModerator] = frozenset()
    """The people its moderators appointed moderators of it (`/settings appoint`), besides its
    admins and the people the config names."""


@dataclass(frozen=True)
class CoreSettings:
    default_timezone: str = "UTC"
    default_quiet_hours: str = "21:00-08:00"
    moderators: frozenset[NamedModerator] = field(default_factory=frozenset)
    """The people the config names as moderators, each of one workspace."""
    matching: MatchingRules = field(default_factory=MatchingRules)
    checkins: CheckinRules = field(default_factory=CheckinRules)
    kudos: KudosRules = field(default_factory=KudosRules)
    privacy: PrivacyRules = field(default_factory=PrivacyRules)
    programme: ProgrammeRules = field(default_factory=ProgrammeRules)
    mentoring: MentoringRules = field(default_factory=MentoringRules)

    def named_moderators(self, workspace: WorkspaceRef) -> list[str]:
        """The user ids the config names as moderators of `workspace` (of it alone)."""
        return sorted({m.user_id for m in self.moderators if m.moderates(workspace)})

    def names_moderator(self, ref: MemberRef) -> bool:
        return ref.user_id in self.named_moderators(ref.workspace)

    def named_elsewhere(self, workspace: WorkspaceRef) -> set[str]:
        """The user ids the config names as moderators of other workspaces of this platform
        and not of `workspace`."""
        here = set(self.named_moderators(workspace))
        return {
            m.user_id
            for m in self.moderators
            if m.platform == workspace.platform and not m.moderates(workspace)
        } - here

    def chosen(self, choices: WorkspaceChoices) -> CoreSettings:
        """These settings (the config's defaults) with one workspace's choices laid over them:
        the workspace's effective settings (resolved by bot.kernel.workspace_settings)."""
        kudos, privacy, programme = self.kudos, self.privacy, self.programme
        if choices.kudos_givers is not None:
            kudos = replace(kudos, givers=choices.kudos_givers)
        if choices.kudos_allowance is not None:
            kudos = replace(kudos, allowance_per_week=choices.kudos_allowance)
        if choices.retention_days is not None:
            privacy = replace(privacy, retention_days=choices.retention_days)
        if choices.self_service_mentors is not None:
            programme = replace(programme, self_service_mentors=choices.self_service_mentors)
        return replace(
            self,
            default_timezone=choices.timezone or self.default_timezone,
            moderators=self.moderators | choices.moderators,
            kudos=kudos,
            privacy=privacy,
            programme=programme,
        )

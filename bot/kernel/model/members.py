"""A member of a workspace and what they tell the programme about themselves (`Profile`): a
`NewMember` until storage keeps them, then a `Member` with the id storage gave them.

Rules: every profile field is optional but the role; a member paused, erased, unreachable or a
bot keeps their row (the counts rest on it), and whether they count as an adult is the
moderators' word, defaulting to staff for moderators and minor for everyone else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.kernel.model.identity import MemberRef
from bot.kernel.weekly_hours import WeeklyHours


class ProfileRole(StrEnum):
    STUDENT = "student"
    MENTOR = "mentor"


@dataclass
class Profile:
    """What a member tells the programme about themselves; every field is optional but role."""

    role: ProfileRole = ProfileRole.STUDENT
    timezone: str | None = None
    stage: str | None = None
    subjects: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    hours: WeeklyHours = field(default_factory=WeeklyHours)
    quiet_hours: str | None = None
    bio: str = ""
    capacity: int | None = None
    public_kudos: bool = True
    listed: bool = True
    buddy_pool: bool = False
    """A moderator's choice to be paired (/findbuddy, circle rounds); everyone else is paired
    whatever this says (see bot.kernel.safeguarding)."""


@dataclass
class NewMember:
    """A member as first recorded, or as the config names a moderator nobody has met yet: all
    a member is but the id storage gives them. Code that needs only these fields takes one, so
    a stored `Member` does too."""

    ref: MemberRef
    display_name: str
    is_moderator: bool = False
    profile: Profile = field(default_factory=Profile)
    paused_until: datetime | None = None
    missed_checkins: int = 0
    """Check-ins missed in a row; three bring one "still in?" message."""
    still_in_asked_at: datetime | None = None
    """When "still in?" was asked and not yet answered; unanswered, it pauses the member."""
    quiet_rounds: int = 0
    """Pairing rounds in a row that ended without a word from them about meeting (no answer to
    "did you meet?" and no partner saying they met); two bring one "still in?" message."""
    went_quiet_at: datetime | None = None
    """When they were paused for not answering "still in?"; None once they pause, come back or
    say they are still in themselves."""
    is_bot: bool = False
    """A bot account, as the platform says: never paired, never given kudos."""
    unreachable_since: datetime | None = None
    """When a DM to them last failed for good (DMs closed, deactivated); None once they are
    told, the next time they use a command."""
    unreachable_reason: str | None = None
    erased_at: datetime | None = None
    """When they erased their personal data (/privacy delete): the record left is anonymous,
    named `(former member)`, under a platform id nobody has, and kept only so that the pairings
    and kudos it took part in still count."""
    adult: bool | None = None
    """Whether a moderator marked them an adult (True) or not one (False); None when nobody
    did, see `is_adult`."""

    @property
    def is_adult(self) -> bool:
        """As a moderator marked them; unmarked, a moderator counts as an adult (staff) and
        everyone else as a minor (students, and the student mentors the moderators appoint)."""
        return self.adult if self.adult is not None else self.is_moderator

    def is_paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def heard_from(self) -> None:
        """The member answered, skipped, paused or said they are still in: the runs of missed
        check-ins and silent rounds start again, no "still in?" is pending, and a pause for
        going quiet is theirs now."""
        self.missed_checkins = 0
        self.still_in_asked_at = None
        self.quiet_rounds = 0
        self.went_quiet_at = None


@dataclass
class Member(NewMember):
    """A member as stored: always with the id storage gave them (given by name)."""

    id: int = field(kw_only=True)

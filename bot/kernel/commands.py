"""What people ask the bot to do: one frozen dataclass per command, named as an order."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.model import Actor, CircleRole, MeetingAnswer


@dataclass(frozen=True)
class Command:
    actor: Actor


@dataclass(frozen=True)
class ShowHelp(Command):
    topic: str | None = None


@dataclass(frozen=True)
class ShowProfile(Command):
    pass


@dataclass(frozen=True)
class SetProfileField(Command):
    field: str
    value: str
    user_id: str | None = None
    """Whose profile, when a moderator names someone (`/profile set @ada role mentor`)."""


@dataclass(frozen=True)
class ListCircles(Command):
    pass


@dataclass(frozen=True)
class ShowCircle(Command):
    name: str


@dataclass(frozen=True)
class JoinCircle(Command):
    name: str
    role: CircleRole | None = None


@dataclass(frozen=True)
class LeaveCircle(Command):
    name: str


@dataclass(frozen=True)
class CreateCircle(Command):
    name: str
    topic: str = ""


@dataclass(frozen=True)
class AddToCircle(Command):
    user_id: str
    name: str
    role: str | None = None  # "mentor", "mentee" or "facilitator"


@dataclass(frozen=True)
class RemoveFromCircle(Command):
    user_id: str
    name: str


@dataclass(frozen=True)
class ArchiveCircle(Command):
    name: str


@dataclass(frozen=True)
class SetCircleOption(Command):
    name: str
    key: str
    value: str


@dataclass(frozen=True)
class FindBuddy(Command):
    subject: str | None = None


@dataclass(frozen=True)
class CancelFindBuddy(Command):
    pass


@dataclass(frozen=True)
class ShowBuddies(Command):
    pass


@dataclass(frozen=True)
class AnswerMeeting(Command):
    user_id: str
    answer: MeetingAnswer


@dataclass(frozen=True)
class EndPairing(Command):
    user_id: str
    reason: str = ""


@dataclass(frozen=True)
class BlockMember(Command):
    user_id: str


@dataclass(frozen=True)
class UnblockMember(Command):
    user_id: str


@dataclass(frozen=True)
class Pause(Command):
    until: str
    """`2w`, `until YYYY-MM-DD` or `off`, as typed."""


@dataclass(frozen=True)
class PreviewRound(Command):
    name: str


@dataclass(frozen=True)
class RunRound(Command):
    name: str


@dataclass(frozen=True)
class ShowCheckin(Command):
    circle: str | None = None


@dataclass(frozen=True)
class AnswerCheckin(Command):
    answers: tuple[str, ...]
    concern: bool = False
    checkin_id: int | None = None
    """Set by a form (which knows the check-in it showed); typed answers go to the current one."""


@dataclass(frozen=True)
class SkipCheckin(Command):
    reason: str = ""


@dataclass(frozen=True)
class ShowCheckinStatus(Command):
    name: str


@dataclass(frozen=True)
class ShowCheckinAnswers(Command):
    circle: str
    period: str | None = None
    """A day in the period (YYYY-MM-DD) or the period itself (2026-W11); None: the latest."""
    user_id: str | None = None
    """Only this person's answers."""


@dataclass(frozen=True)
class StayIn(Command):
    pass


@dataclass(frozen=True)
class RaiseFlag(Command):
    text: str


@dataclass(frozen=True)
class AddBlackout(Command):
    first: str
    last: str | None = None


@dataclass(frozen=True)
class ListBlackouts(Command):
    pass


@dataclass(frozen=True)
class RemoveBlackout(Command):
    day: str


@dataclass(frozen=True)
class GiveKudos(Command):
    user_id: str
    reason: str
    value: str | None = None


@dataclass(frozen=True)
class ShowKudosWall(Command):
    circle: str | None = None


@dataclass(frozen=True)
class ShowKudosTop(Command):
    period: str = "week"


@dataclass(frozen=True)
class RevokeKudos(Command):
    kudos_id: str
    reason: str = ""


@dataclass(frozen=True)
class UpdateProfile(Command):
    """Several profile fields at once, from a form: all are checked before any is saved."""

    changes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ShowHome(Command):
    """What the member's home page shows; adapters ask for it, nobody types it."""


@dataclass(frozen=True)
class SuggestCircles(Command):
    """Circle names starting with or containing `typed`, for a platform's autocomplete."""

    typed: str = ""


@dataclass(frozen=True)
class ExportMyData(Command):
    """Everything stored about the member, as a JSON file."""


@dataclass(frozen=True)
class DeleteMyData(Command):
    """Without `confirmed`, says what would be erased and how to confirm; with it, erases."""

    confirmed: bool = False


@dataclass(frozen=True)
class ShowStats(Command):
    circle: str | None = None


@dataclass(frozen=True)
class ExportStats(Command):
    circle: str | None = None


@dataclass(frozen=True)
class ShowAudit(Command):
    limit: int = 20

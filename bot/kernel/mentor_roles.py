"""Who becomes a mentor, and how: by asking (where `[programme] self_service_mentors`) or by a
moderator's appointment."""

from __future__ import annotations

from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import NotAllowed
from bot.kernel.model import Member, ProfileRole
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise, typed_mention


def becoming_a_mentor(settings: CoreSettings) -> str:
    """How a member becomes a mentor here, as a sentence."""
    if settings.programme.self_service_mentors:
        return f"{command_ref('/profile set role mentor')} makes you one."
    return f"{command_ref('/profile set role mentor')} asks the moderators, who appoint mentors."


def check_may_make_mentor(ctx: Context, member: Member) -> None:
    """A circle's mentor is a mentor already, or made one by a moderator (where they appoint
    mentors): a facilitator cannot make a mentor of someone who is not one."""
    if (
        member.profile.role is not ProfileRole.MENTOR
        and not ctx.is_moderator
        and not ctx.settings.programme.self_service_mentors
    ):
        appoint = command_ref(f"/profile set {typed_mention(member.ref)} role mentor")
        raise NotAllowed(
            f"{neutralise(member.display_name, 60)} is not a mentor, and only moderators appoint "
            f"mentors: ask one to {appoint}, or add them as mentee."
        )

"""The team's guide for mentors, in short sections that fit a phone screen; a school's
`[mentoring] guide_file` replaces it (read once at start-up, see adapters.sections)."""

from __future__ import annotations

from bot.kernel.command_refs import command_ref
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise

GUIDE_LIMIT = 3500

DEFAULT_GUIDE = (
    "A guide for mentors\n"
    "\n"
    "1. Listen first\n"
    "Ask open questions and let them finish. Say back what you heard before you advise.\n"
    "\n"
    "2. Set goals together\n"
    "Agree one small goal at a time that they chose, and look at it again next time you meet.\n"
    "\n"
    "3. Respect boundaries\n"
    "Meet where the programme allows, keep to your free hours, keep personal details private, "
    "and never push for more than they want to share.\n"
    "\n"
    "4. Raise a concern\n"
    "If something worries you about their safety or yours, tell the moderators privately with "
    f"{command_ref('/flag')} (or {command_ref('/checkin concern <what worries you>')}). Do not "
    "promise to keep a secret that could keep someone unsafe.\n"
    "\n"
    "5. Keep to the agreement\n"
    f"{command_ref('/agreement')} shows what you both agreed. Either of you can end the pairing "
    f"with {command_ref('/buddy end')}; no hard feelings."
)


def guide_text(settings: CoreSettings) -> str:
    """The school's guide when it has one, else the team's."""
    own = settings.mentoring.guide
    return neutralise(own, GUIDE_LIMIT) if own else DEFAULT_GUIDE

"""Who is acting in the console: a name typed, as the core's Actor.

Rule: a person is their name in lower case within the console's workspace, shown as typed;
whether they moderate is the session's to say (see adapters.console.runtime and `/as`).
"""

from __future__ import annotations

from bot.kernel.model import Actor, MemberRef

PLATFORM = "console"


def actor(workspace_id: str, name: str, moderator: bool = False) -> Actor:
    return Actor(MemberRef(PLATFORM, workspace_id, name.lower()), name, is_admin=moderator)

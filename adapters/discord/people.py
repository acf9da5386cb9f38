"""Who is acting: a Discord user as the core's Actor, and in which server.

Rules: the workspace is the server (guild) the interaction came from; a button in a DM carries
its server in its custom id. Moderators are members with Manage Server, or with a role the
config names (by name or id). In a DM Discord does not say someone's roles, so what is stored
about them stands (the actor is unconfirmed).
"""

from __future__ import annotations

from collections.abc import Collection

import discord

from bot.kernel.model import Actor, MemberRef

PLATFORM = "discord"


def actor_of(
    interaction: discord.Interaction, guild_id: int | str, moderator_roles: Collection[str]
) -> Actor:
    """The person acting in `guild_id`. Their role is only read where Discord states it: in that
    server, with the server known (Manage Server from the interaction's own permissions, roles
    from the member); anywhere else what is stored about them stands."""
    user = interaction.user
    ref = MemberRef(PLATFORM, str(guild_id), str(user.id))
    name = user.display_name
    in_that_server = interaction.guild is not None and str(interaction.guild_id) == str(guild_id)
    if not isinstance(user, discord.Member) or not in_that_server:
        return Actor(ref, name, is_bot=user.bot, confirmed=False)
    moderator = interaction.permissions.manage_guild or has_moderator_role(user, moderator_roles)
    return Actor(ref, name, moderator, user.bot)


def has_moderator_role(member: discord.Member, moderator_roles: Collection[str]) -> bool:
    wanted = {r.lower() for r in moderator_roles}
    return any(r.name.lower() in wanted or str(r.id) in wanted for r in member.roles)


def mentioned(data: dict[str, object], guild_id: str) -> list[Actor]:
    """The people a command's user options name (Discord resolves them in `resolved.users`), as
    unconfirmed actors: they become known members, bots marked as bots."""
    resolved = data.get("resolved")
    users = resolved.get("users") if isinstance(resolved, dict) else None
    if not isinstance(users, dict):
        return []
    actors = []
    for user_id, user in users.items():
        if isinstance(user, dict):
            name = str(user.get("global_name") or user.get("username") or user_id)
            ref = MemberRef(PLATFORM, guild_id, str(user_id))
            actors.append(Actor(ref, name, is_bot=bool(user.get("bot")), confirmed=False))
    return actors

"""Who is acting: a Discord user as the core's Actor, and in which server.

Rules: the workspace is the server (guild) the interaction came from; a button in a DM carries
its server in its custom id. Moderators are members with Manage Server, or with a role the
config names (by name or id). In a DM Discord does not say someone's roles, so what is stored
about them stands (the actor is unconfirmed).
"""

from __future__ import annotations

from collections.abc import Collection

import discord

from bot.model import Actor, MemberRef

PLATFORM = "discord"


def actor_of(
    interaction: discord.Interaction, guild_id: int | str, moderator_roles: Collection[str]
) -> Actor:
    user = interaction.user
    ref = MemberRef(PLATFORM, str(guild_id), str(user.id))
    name = user.display_name
    if not isinstance(user, discord.Member):
        return Actor(ref, name, is_bot=user.bot, confirmed=False)
    return Actor(ref, name, is_moderator(user, moderator_roles), user.bot)


def is_moderator(member: discord.Member, moderator_roles: Collection[str]) -> bool:
    if member.guild_permissions.manage_guild:
        return True
    wanted = {r.lower() for r in moderator_roles}
    return any(r.name.lower() in wanted or str(r.id) in wanted for r in member.roles)

"""The registry a test fills before the bot connects: guilds, roles, channels, users and members
(permissions come through roles; owners and administrators have all), closed DMs, what a
member's command menu shows, and what a message or an interaction's `@original` is now."""

from __future__ import annotations

from collections.abc import Iterable

from tests.support import discord_payloads as p
from tests.support.discord_fake.records import JsonDict
from tests.support.discord_fake.state import Channel, FakeState, Guild, Member, Role, User


class Registry(FakeState):
    """Who and what exists on the fake Discord."""

    def add_guild(
        self,
        guild_id: str | int,
        name: str,
        owner_id: str | int,
        *,
        everyone_permissions: int = p.DEFAULT_EVERYONE_PERMISSIONS,
        bot_permissions: int = p.DEFAULT_BOT_PERMISSIONS,
        locale: str = "en-US",
    ) -> None:
        """A guild the bot is in: its @everyone role (id = guild id), the bot's managed role
        (`bot_permissions`) and the bot as a member. Add the owner with `add_member` to let
        them use commands."""
        gid = str(guild_id)
        guild = Guild(gid, name, str(owner_id), locale, p.iso_timestamp())
        guild.roles[gid] = Role(gid, "@everyone", everyone_permissions, 0)
        guild.bot_role_id = p.snowflake()
        guild.roles[guild.bot_role_id] = Role(
            guild.bot_role_id, self.bot_username, bot_permissions, 1, bot_id=self.bot_user_id
        )
        guild.members[self.bot_user_id] = Member(
            self.bot_user_id, [guild.bot_role_id], p.iso_timestamp()
        )
        self._guilds[gid] = guild

    def add_role(
        self, guild_id: str | int, role_id: str | int, name: str, permissions: int = 0
    ) -> None:
        guild = self._guild(guild_id)
        guild.roles[str(role_id)] = Role(str(role_id), name, permissions, len(guild.roles))

    def add_channel(self, guild_id: str | int, channel_id: str | int, name: str) -> None:
        """A text channel of the guild, where @everyone's and the bot's permissions apply."""
        guild = self._guild(guild_id)
        channel = Channel(str(channel_id), name, guild.id, position=len(guild.channels))
        guild.channels[channel.id] = channel
        self._channels[channel.id] = channel

    def add_user(self, user_id: str | int, name: str, *, bot: bool = False) -> JsonDict:
        """A Discord user (in no guild unless `add_member`); returns the user object."""
        user = self._users.setdefault(str(user_id), User(str(user_id), name, bot))
        user.name, user.bot = name, bot
        return user.payload()

    def add_member(
        self,
        guild_id: str | int,
        user_id: str | int,
        name: str,
        *,
        roles: Iterable[str | int] = (),
        permissions: int = 0,
        bot: bool = False,
        nick: str | None = None,
    ) -> JsonDict:
        """A member of the guild with `roles` (added with `add_role`). Permissions only come
        through roles on Discord: non-zero `permissions` gives the member a role of their own
        named "<name> permissions" carrying them. Returns the member object (with `user`)."""
        guild = self._guild(guild_id)
        self.add_user(user_id, name, bot=bot)
        role_ids = [str(r) for r in roles]
        for role_id in role_ids:
            if role_id not in guild.roles:
                raise ValueError(f"unknown role {role_id} in guild {guild.id}: add_role first")
        if permissions:
            role_id = p.snowflake()
            guild.roles[role_id] = Role(
                role_id, f"{name} permissions", permissions, len(guild.roles)
            )
            role_ids.append(role_id)
        guild.members[str(user_id)] = Member(str(user_id), role_ids, p.iso_timestamp(), nick)
        return self._member_payload(guild, str(user_id))

    def close_dms(self, user_id: str | int) -> None:
        """The user allows no DMs from the bot: messages to their DM channel answer 403
        50007 (creating the channel still works, as on Discord)."""
        self._closed_dms.add(str(user_id))

    def open_dms(self, user_id: str | int) -> None:
        self._closed_dms.discard(str(user_id))

    def set_bot_permissions(self, guild_id: str | int, permissions: int) -> None:
        guild = self._guild(guild_id)
        guild.roles[guild.bot_role_id].permissions = permissions

    def dm_recipient(self, channel_id: str) -> str | None:
        """Whose DM channel this is with the bot, or None for a server's channel or none."""
        channel = self._channels.get(channel_id)
        return channel.recipient_id if channel is not None else None

    def dm_channel_id(self, user_id: str | int) -> str:
        """The id of the bot's DM channel with the user (made on first use, then stable)."""
        uid = str(user_id)
        if uid not in self._dm_by_user:
            channel = Channel(p.snowflake(), "", None, recipient_id=uid)
            self._channels[channel.id] = channel
            self._dm_by_user[uid] = channel.id
        return self._dm_by_user[uid]

    def permissions_of(self, guild_id: str | int, user_id: str | int) -> int:
        """The member's permissions as Discord computes them (no channel overwrites here):
        the owner and administrators have all, others the union of @everyone and their roles."""
        guild = self._guild(guild_id)
        uid = str(user_id)
        if uid == guild.owner_id:
            return p.ALL_PERMISSIONS
        member = guild.members.get(uid)
        permissions = guild.roles[guild.id].permissions
        for role_id in member.roles if member is not None else []:
            permissions |= guild.roles[role_id].permissions
        return p.ALL_PERMISSIONS if permissions & p.ADMINISTRATOR else permissions

    def command_menu(self, guild_id: str | int, user_id: str | int) -> dict[str, list[str]]:
        """What the member's command menu shows in the guild, as Discord decides it: each
        registered command (the guild's and the global ones) whose `default_member_permissions`
        the member has all of ("0": administrators only; none: everyone), by name, with its
        subcommands' names. (Discord also lets a server's admins override this per command in
        Server Settings, Integrations; the fake has no overrides.)"""
        has = self.permissions_of(guild_id, user_id)
        menu: dict[str, list[str]] = {}
        for command in [*self.commands.get(str(guild_id), []), *self.commands.get(None, [])]:
            wanted = command.get("default_member_permissions")
            needed = p.ALL_PERMISSIONS if wanted == "0" else int(wanted or 0)
            if command.get("type", 1) != 1 or has & needed != needed or command["name"] in menu:
                continue
            options = command.get("options") or []
            menu[command["name"]] = [o["name"] for o in options if o["type"] == p.SUB_COMMAND]
        return menu

    def message(self, message_id: str | int) -> JsonDict:
        """The current state of a message the fake knows (after edits)."""
        return self._store[str(message_id)]

    def original(self, interaction_id: str | int) -> JsonDict | None:
        """The message an interaction's `@original` is (its response, after edits)."""
        state = self._interactions.get(str(interaction_id))
        if state is None or state.original_id is None:
            return None
        return self._store.get(state.original_id)

"""Interactions a test sends as a user would: a slash command, an autocomplete, a click on a
component, a modal submitted (mirroring the modal the bot opened), a hand-made payload, or the
same interaction delivered again; the fake then enforces the bot's callbacks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tests.support import discord_payloads as p
from tests.support.discord_fake.gateway import Gateway
from tests.support.discord_fake.interaction_parts import InteractionParts, Where, modal_submission
from tests.support.discord_fake.records import JsonDict, SentInteraction
from tests.support.discord_fake.state import InteractionState


class Interactions(InteractionParts, Gateway):
    """INTERACTION_CREATE events, as a user makes them."""

    async def send_command(
        self,
        name: str,
        user_id: str | int,
        *,
        options: Sequence[JsonDict] = (),
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """A slash command (type 2) by the user: `options` from `discord_payloads` (`option`,
        `user_option`, `subcommand`, `subcommand_group`...), with `resolved` filled from the
        registry. In the guild (the only one registered unless `guild_id`) and its first
        channel unless `channel_id`; or in the user's DM with the bot (`in_dm`). The command's
        id and guild come from what the bot registered (a command never registered is sent as
        a global one)."""
        return await self._send_command(
            p.APPLICATION_COMMAND, name, user_id, options, guild_id, channel_id, in_dm, locale
        )

    async def send_autocomplete(
        self,
        name: str,
        user_id: str | int,
        *,
        options: Sequence[JsonDict],
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """An autocomplete request (type 4): one leaf option marked with `focused(...)`."""
        if not any(o.get("focused") for o in p.walk_options(options)):
            raise ValueError("an autocomplete interaction needs one focused(...) option")
        return await self._send_command(
            p.APPLICATION_COMMAND_AUTOCOMPLETE,
            name,
            user_id,
            options,
            guild_id,
            channel_id,
            in_dm,
            locale,
        )

    async def _send_command(
        self,
        interaction_type: int,
        name: str,
        user_id: str | int,
        options: Sequence[JsonDict],
        guild_id: str | int | None,
        channel_id: str | int | None,
        in_dm: bool,
        locale: str,
    ) -> SentInteraction:
        where = self._where(user_id, guild_id, channel_id, in_dm)
        command_id, command_guild = self._command_for(name, where.guild_id)
        data = p.command_data(
            command_id,
            name,
            options=options,
            resolved=self._resolved(options, where.guild_id, str(user_id)),
            guild_id=command_guild,
        )
        payload = self._interaction_payload(interaction_type, data, where, locale=locale)
        return await self._deliver(payload, where, command_name=name, message_id=None)

    async def send_component(
        self,
        custom_id: str,
        user_id: str | int,
        *,
        message_id: str | int | None = None,
        component_type: int = p.BUTTON,
        values: Sequence[str] | None = None,
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """A click on a button (or a choice in a select, with `values`) by the user. The
        message is `message_id`, else the newest message the bot sent with that custom_id,
        else (a message from before the fake started, as after a restart) one made up in the
        channel with just that component."""
        message = self._component_message(custom_id, message_id, component_type)
        if message is not None:
            channel = self._channels.get(str(message["channel_id"]))
            if channel is not None and channel_id is None:
                channel_id = channel.id
                in_dm = channel.guild_id is None
                guild_id = channel.guild_id
        where = self._where(user_id, guild_id, channel_id, in_dm)
        if message is None:
            message = self._made_up_message(where, custom_id, component_type)
        data = p.component_data(custom_id, component_type, values=values)
        payload = self._interaction_payload(
            p.MESSAGE_COMPONENT, data, where, locale=locale, message_payload=message
        )
        return await self._deliver(payload, where, command_name=None, message_id=message["id"])

    async def send_modal_submit(
        self,
        custom_id: str,
        user_id: str | int,
        values: Mapping[str, str | Sequence[str]],
        *,
        guild_id: str | int | None = None,
        channel_id: str | int | None = None,
        in_dm: bool = False,
        locale: str = "en-US",
    ) -> SentInteraction:
        """The user submits the modal `custom_id` with `values` by input custom_id. When the
        bot opened that modal (a type 9 callback), the submission mirrors its layout (action
        rows or labels) in the channel where it was opened, and refuses unknown inputs and
        missing required ones (Discord's client would not submit them); otherwise text inputs
        in action rows."""
        opened = self._opened_modal(custom_id)
        message_payload: JsonDict | None = None
        if opened is None:
            components = [
                p.action_row(
                    p.text_input_value(k, str(v), component_id=2 * i + 2), component_id=2 * i + 1
                )
                for i, (k, v) in enumerate(values.items())
            ]
        else:
            modal, opener = opened
            components = modal_submission(modal, values)
            if channel_id is None and guild_id is None and not in_dm:
                channel_id = opener.channel_id
                guild_id = opener.guild_id
                in_dm = opener.guild_id is None
            if opener.sent.type == p.MESSAGE_COMPONENT and opener.message_id in self._store:
                message_payload = self._store[opener.message_id]
        where = self._where(user_id, guild_id, channel_id, in_dm)
        data = p.modal_submit_data(custom_id, components)
        payload = self._interaction_payload(
            p.MODAL_SUBMIT, data, where, locale=locale, message_payload=message_payload
        )
        message_id = None if message_payload is None else str(message_payload["id"])
        return await self._deliver(payload, where, command_name=None, message_id=message_id)

    async def send_interaction(
        self,
        payload: JsonDict,
        *,
        user_id: str | int | None = None,
        message_id: str | int | None = None,
    ) -> SentInteraction:
        """Dispatch a hand-made INTERACTION_CREATE body (see `discord_payloads.interaction`);
        the fake then enforces its callbacks like the others'."""
        guild_id = payload.get("guild_id")
        invoker = payload["member"]["user"] if guild_id else payload.get("user", {})
        where = Where(
            guild_id=None if guild_id is None else str(guild_id),
            channel_id=str(payload["channel"]["id"]),
            user_id=str(user_id or invoker.get("id", "")),
            channel_payload=payload["channel"],
            member_payload=payload.get("member"),
            invoker=invoker,
            app_permissions=int(payload.get("app_permissions", 0)),
        )
        data = payload.get("data") or {}
        name = data.get("name") if payload["type"] in (2, 4) else None
        mid = None if message_id is None else str(message_id)
        if mid is None and "message" in payload:
            mid = str(payload["message"]["id"])
        return await self._deliver(payload, where, command_name=name, message_id=mid)

    async def redeliver(self, interaction_id: str | int) -> SentInteraction:
        """Dispatch an interaction again, same id and token (as when two handlers or two
        processes each get it): Discord still accepts only one initial response, within 3 s of
        the first delivery."""
        state = self._interactions[str(interaction_id)]
        await self._dispatch_to_guild(state.guild_id, "INTERACTION_CREATE", state.sent.payload)
        return state.sent

    async def _deliver(
        self,
        payload: JsonDict,
        where: Where,
        *,
        command_name: str | None,
        message_id: str | None,
    ) -> SentInteraction:
        sent = SentInteraction(
            str(payload["id"]), str(payload["token"]), int(payload["type"]), payload, self.now()
        )
        self.interactions[sent.id] = sent
        self._interactions[sent.id] = InteractionState(
            sent, where.user_id, where.channel_id, where.guild_id, command_name, message_id
        )
        self._by_token[sent.token] = sent.id
        await self._dispatch_to_guild(where.guild_id, "INTERACTION_CREATE", payload)
        return sent

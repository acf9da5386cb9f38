"""REST: interaction callbacks (the 3 s deadline and the single initial response enforced, the
callback types each interaction allows), followups and `@original` (an interaction token lasts
15 minutes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from tests.support import discord_payloads as p
from tests.support.discord_fake.gateway import Gateway
from tests.support.discord_fake.limits import INITIAL_RESPONSE_DEADLINE, MAX_OPTIONS, TOKEN_LIFETIME
from tests.support.discord_fake.message_bodies import (
    apply_edit,
    attachment_objects,
    check_message_body,
    sent_message,
)
from tests.support.discord_fake.records import Edit, JsonDict, Upload
from tests.support.discord_fake.refusals import DiscordError, json_object, refused
from tests.support.discord_fake.routes import Request, truthy
from tests.support.discord_fake.state import InteractionState

_ALLOWED_CALLBACKS: Final[Mapping[int, frozenset[int]]] = {
    p.PING: frozenset({p.PONG}),
    p.APPLICATION_COMMAND: frozenset(
        {p.CHANNEL_MESSAGE_WITH_SOURCE, p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, p.MODAL}
    ),
    p.MESSAGE_COMPONENT: frozenset(
        {
            p.CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_UPDATE_MESSAGE,
            p.UPDATE_MESSAGE,
            p.MODAL,
        }
    ),
    p.APPLICATION_COMMAND_AUTOCOMPLETE: frozenset({p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT}),
    p.MODAL_SUBMIT: frozenset(
        {
            p.CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            p.DEFERRED_UPDATE_MESSAGE,
            p.UPDATE_MESSAGE,
        }
    ),
}


class RestCallbacks(Gateway):
    """Answering interactions."""

    async def _do_create_interaction_response(self, req: Request) -> tuple[int, Any]:
        state = self._interactions.get(req.match["interaction_id"])
        if state is None or state.sent.token != req.match["token"]:
            raise refused(404, 10062)
        if state.response_type is not None:
            raise refused(400, 40060)
        if self.now() - state.sent.sent_at > INITIAL_RESPONSE_DEADLINE:
            raise refused(404, 10062)
        body = json_object(req.body)
        callback_type = int(body.get("type", 0) or 0)
        allowed = _ALLOWED_CALLBACKS.get(state.sent.type, frozenset())
        if callback_type not in allowed:
            raise DiscordError(
                400,
                p.invalid_form_body(
                    {
                        "type": p.field_error(
                            "BASE_TYPE_CHOICES", f"Value must be one of {sorted(allowed)}."
                        )
                    }
                ),
            )
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        assert isinstance(data, dict)
        if callback_type in (p.CHANNEL_MESSAGE_WITH_SOURCE, p.UPDATE_MESSAGE):
            check_message_body(
                data, files=req.files, creating=callback_type == p.CHANNEL_MESSAGE_WITH_SOURCE
            )
        elif callback_type == p.MODAL:
            _check_modal(data)
        elif callback_type == p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            choices = data.get("choices", [])
            if not isinstance(choices, list) or len(choices) > MAX_OPTIONS:
                raise DiscordError(
                    400,
                    p.invalid_form_body(
                        {
                            "data": {
                                "choices": p.field_error(
                                    "BASE_TYPE_MAX_LENGTH",
                                    f"Must be {MAX_OPTIONS} or fewer in length.",
                                )
                            }
                        }
                    ),
                )

        state.response_type = callback_type
        resource_message: JsonDict | None = None
        if callback_type in (p.CHANNEL_MESSAGE_WITH_SOURCE, p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE):
            loading = callback_type == p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            flags = int(data.get("flags") or 0) & p.EPHEMERAL
            if loading:
                flags |= p.LOADING
            else:
                flags |= int(data.get("flags") or 0)
            message = self._interaction_message(
                state, data if not loading else {}, flags, req.uploads
            )
            state.original_id, state.loading = message["id"], loading
            if not loading:
                resource_message = message
                await self._message_created(message, self._channels.get(state.channel_id))
        elif callback_type in (p.DEFERRED_UPDATE_MESSAGE, p.UPDATE_MESSAGE):
            state.original_id = state.message_id
            if callback_type == p.UPDATE_MESSAGE and state.message_id in self._store:
                resource_message = self._store[state.message_id]
                apply_edit(resource_message, data, req.uploads)
        await self._notify()

        if not truthy(req.query.get("with_response")):
            return 204, None
        original = self._store.get(state.original_id or "")
        answer_interaction: JsonDict = {"id": state.sent.id, "type": state.sent.type}
        if original is not None and callback_type in (4, 5):
            answer_interaction.update(
                response_message_id=original["id"],
                response_message_loading=state.loading,
                response_message_ephemeral=bool(original["flags"] & p.EPHEMERAL),
            )
        resource: JsonDict = {"type": callback_type}
        if resource_message is not None:
            resource["message"] = resource_message
        return 200, {"interaction": answer_interaction, "resource": resource}

    def _interaction_message(
        self,
        state: InteractionState,
        data: JsonDict,
        flags: int,
        uploads: tuple[Upload, ...],
        *,
        message_type: int | None = None,
    ) -> JsonDict:
        invoker = self._users[state.user_id].payload()
        guild_key = state.guild_id if state.guild_id is not None else "0"
        if message_type is None:
            is_command = state.sent.type == p.APPLICATION_COMMAND
            message_type = p.MESSAGE_CHAT_INPUT_COMMAND if is_command else p.MESSAGE_DEFAULT
        message = p.message(
            p.snowflake(),
            state.channel_id,
            self.bot_user,
            content=str(data.get("content") or ""),
            embeds=data.get("embeds") or [],
            components=data.get("components") or [],
            flags=flags,
            guild_id=state.guild_id,
            message_type=message_type,
            webhook_id=self.application_id,
            application_id=self.application_id,
            attachments=attachment_objects(data, uploads),
            interaction_metadata=p.interaction_metadata(
                state.sent.id,
                state.sent.type,
                invoker,
                authorizing_integration_owners={"0": guild_key},
                name=state.command_name,
                interacted_message_id=state.message_id,
            ),
        )
        self._store[message["id"]] = message
        return message

    def _webhook_state(self, req: Request) -> InteractionState:
        iid = self._by_token.get(req.match["token"])
        if req.match["application_id"] != self.application_id or iid is None:
            raise refused(404, 10015)
        state = self._interactions[iid]
        if self.now() - state.sent.sent_at > TOKEN_LIFETIME:
            raise refused(401, 50027)
        return state

    def _webhook_message(self, state: InteractionState, message_id: str) -> JsonDict:
        if message_id == "@original":
            if state.original_id is None or state.original_id not in self._store:
                raise refused(404, 10008)
            return self._store[state.original_id]
        if message_id != state.original_id and message_id not in state.followup_ids:
            raise refused(404, 10008)
        if message_id not in self._store:
            raise refused(404, 10008)
        return self._store[message_id]

    async def _do_execute_webhook(self, req: Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        if state.response_type is None:
            raise refused(404, 10015)
        body = json_object(req.body)
        check_message_body(body, files=req.files, creating=True)
        if state.loading and state.original_id in self._store:
            # After a deferred "thinking" response the first followup fills that message
            # (keeping the defer's ephemerality).
            message = self._store[state.original_id]
            apply_edit(message, body, req.uploads)
            message["flags"] = int(message["flags"]) & ~p.LOADING
            state.loading = False
        else:
            flags = int(body.get("flags") or 0)
            message = self._interaction_message(
                state, body, flags, req.uploads, message_type=p.MESSAGE_DEFAULT
            )
            state.followup_ids.append(message["id"])
        self.followups.setdefault(state.sent.id, []).append(
            sent_message(message, body, req.uploads, interaction_id=state.sent.id)
        )
        if not message["flags"] & p.EPHEMERAL:
            await self._message_created(message, self._channels.get(state.channel_id))
        return (200, message) if truthy(req.query.get("wait")) else (204, None)

    async def _do_get_webhook_message(self, req: Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        return 200, self._webhook_message(state, req.match["message_id"])

    async def _do_edit_webhook_message(self, req: Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        message = self._webhook_message(state, req.match["message_id"])
        body = json_object(req.body)
        check_message_body(body, files=req.files, creating=False)
        apply_edit(message, body, req.uploads)
        if message["id"] == state.original_id and state.loading:
            message["flags"] = int(message["flags"]) & ~p.LOADING
            state.loading = False
        self.edits.append(
            Edit(message["id"], str(message["channel_id"]), state.sent.id, body, self.now())
        )
        return 200, message

    async def _do_delete_webhook_message(self, req: Request) -> tuple[int, Any]:
        state = self._webhook_state(req)
        message = self._webhook_message(state, req.match["message_id"])
        del self._store[message["id"]]
        return 204, None


def _check_modal(data: JsonDict) -> None:
    errors: JsonDict = {}
    if not data.get("custom_id"):
        errors["custom_id"] = p.field_error("BASE_TYPE_REQUIRED", "This field is required")
    if not data.get("title"):
        errors["title"] = p.field_error("BASE_TYPE_REQUIRED", "This field is required")
    components = data.get("components")
    if not isinstance(components, list) or not 1 <= len(components) <= 5:
        errors["components"] = p.field_error(
            "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    if errors:
        raise DiscordError(400, p.invalid_form_body({"data": errors}))

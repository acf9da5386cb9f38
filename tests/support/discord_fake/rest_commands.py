"""REST: application command registration, global and per guild, with Discord's checks of names,
descriptions, option order and counts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tests.support import discord_payloads as p
from tests.support.discord_fake.limits import MAX_COMMANDS, MAX_OPTIONS
from tests.support.discord_fake.records import JsonDict
from tests.support.discord_fake.refusals import DiscordError, form_error, json_object, refused
from tests.support.discord_fake.routes import Request
from tests.support.discord_fake.state import FakeState

_COMMAND_NAME = re.compile(r"^[-_'\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")


class RestCommands(FakeState):
    """Registered application commands."""

    def _command_scope(self, req: Request) -> str | None:
        if req.match["application_id"] != self.application_id:
            raise refused(403, 50001)
        guild_id = req.match.get("guild_id")
        if guild_id is not None and guild_id not in self._guilds:
            raise refused(403, 50001)
        return guild_id

    async def _do_get_global_commands(self, req: Request) -> tuple[int, Any]:
        return 200, self.commands.get(self._command_scope(req), [])

    async def _do_get_guild_commands(self, req: Request) -> tuple[int, Any]:
        return 200, self.commands.get(self._command_scope(req), [])

    async def _do_bulk_upsert_global_commands(self, req: Request) -> tuple[int, Any]:
        return 200, self._overwrite_commands(self._command_scope(req), req.body)

    async def _do_bulk_upsert_guild_commands(self, req: Request) -> tuple[int, Any]:
        return 200, self._overwrite_commands(self._command_scope(req), req.body)

    async def _do_upsert_global_command(self, req: Request) -> tuple[int, Any]:
        return self._upsert_command(self._command_scope(req), req.body)

    async def _do_upsert_guild_command(self, req: Request) -> tuple[int, Any]:
        return self._upsert_command(self._command_scope(req), req.body)

    def _overwrite_commands(self, scope: str | None, body: Any) -> list[JsonDict]:
        if not isinstance(body, list):
            raise DiscordError(
                400, p.invalid_form_body({"_errors": [form_error("BASE_TYPE_ARRAY", "list")]})
            )
        errors: JsonDict = {}
        seen: set[tuple[str, int]] = set()
        for index, command in enumerate(body):
            problems = _command_errors(command)
            key = (str(command.get("name")), int(command.get("type", 1)))
            if key in seen:
                problems.setdefault(
                    "name",
                    p.field_error(
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        "Application command names must be unique",
                    ),
                )
            seen.add(key)
            if problems:
                errors[str(index)] = problems
        if sum(1 for c in body if int(c.get("type", 1)) == 1) > MAX_COMMANDS:
            errors.setdefault("_errors", []).append(
                form_error("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_COMMANDS} or fewer in length.")
            )
        if errors:
            raise DiscordError(400, p.invalid_form_body(errors))
        self.commands[scope] = [self._stored_command(scope, c) for c in body]
        return self.commands[scope]

    def _upsert_command(self, scope: str | None, body: Any) -> tuple[int, JsonDict]:
        command = json_object(body)
        problems = _command_errors(command)
        if problems:
            raise DiscordError(400, p.invalid_form_body(problems))
        stored = self._stored_command(scope, command)
        existing = self.commands.setdefault(scope, [])
        for index, old in enumerate(existing):
            if old["id"] == stored["id"]:
                existing[index] = stored
                return 200, stored
        existing.append(stored)
        return 201, stored

    def _stored_command(self, scope: str | None, command: JsonDict) -> JsonDict:
        key = (scope, str(command["name"]), int(command.get("type", 1)))
        if key not in self._command_ids:
            self._command_ids[key] = p.snowflake()
        return p.application_command(
            command,
            command_id=self._command_ids[key],
            application_id=self.application_id,
            guild_id=scope,
            version=p.snowflake(),
        )


def _command_errors(command: Any) -> JsonDict:
    if not isinstance(command, dict):
        return {"_errors": [form_error("DICT_TYPE_CONVERT", "Only dictionaries may be used.")]}
    problems: JsonDict = {}
    name = command.get("name")
    command_type = int(command.get("type", 1))
    valid_name = isinstance(name, str) and (
        _COMMAND_NAME.match(name) and name == name.lower()
        if command_type == 1
        else 1 <= len(name) <= 32
    )
    if not valid_name:
        problems["name"] = p.field_error(
            "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
        )
    description = command.get("description", "")
    if command_type == 1 and not (isinstance(description, str) and 1 <= len(description) <= 100):
        problems["description"] = p.field_error(
            "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    option_problems = _option_errors(command.get("options") or [])
    if option_problems:
        problems["options"] = option_problems
    return problems


def _option_errors(options: Sequence[JsonDict]) -> JsonDict:
    problems: JsonDict = {}
    if len(options) > MAX_OPTIONS:
        problems["_errors"] = [
            form_error("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_OPTIONS} or fewer in length.")
        ]
    seen_optional = False
    for index, option in enumerate(options):
        mine: JsonDict = {}
        name = option.get("name")
        if not (isinstance(name, str) and _COMMAND_NAME.match(name) and name == name.lower()):
            mine["name"] = p.field_error(
                "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
            )
        description = option.get("description", "")
        if not (isinstance(description, str) and 1 <= len(description) <= 100):
            mine["description"] = p.field_error(
                "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        if option.get("type") in (p.SUB_COMMAND, p.SUB_COMMAND_GROUP):
            nested = _option_errors(option.get("options") or [])
            if nested:
                mine["options"] = nested
        elif option.get("required"):
            if seen_optional:
                mine["required"] = p.field_error(
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        if mine:
            problems[str(index)] = mine
    return problems

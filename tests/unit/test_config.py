"""The config: the example documents every key at its default; mistakes name the key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from adapters.config import ConfigError, Settings, parse_settings
from bot.kernel.model import MemberRef

EXAMPLE = Path(__file__).parents[2] / "config.example.toml"


def _defaults(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


def test_the_example_shows_every_key_with_its_default() -> None:
    example = tomllib.loads(EXAMPLE.read_text())
    assert example == _defaults(Settings())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"storage": {"path": "x"}}, "[storage] path: unknown key; the keys allowed here are: url"),
        (
            {"moderators": ["morgan"]},
            "moderators: 'morgan' is not a moderator: write console:<name>, discord:<server id>:"
            "<user id> or slack:<team id>:<user id>",
        ),
        ({"scheduler": {"tick_seconds": 0}}, "[scheduler] tick_seconds: Input should be greater"),
        ({"checkins": {"quiet_hours": "9pm-8am"}}, "[checkins] quiet_hours: '9pm' is not a time"),
        ({"console": {"workspace": "a b"}}, "[console] workspace: String should match"),
    ],
)
def test_each_mistake_names_its_key(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings(raw, "config.toml")
    assert str(raised.value) == f"config.toml: {message}" or message in str(raised.value)


def test_moderators_from_config_reach_the_core_each_for_its_own_workspace() -> None:
    core = parse_settings({"moderators": ["slack:T1:U1", "console:Morgan"]}).core()
    assert core.names_moderator(MemberRef("slack", "T1", "U1"))
    assert not core.names_moderator(MemberRef("slack", "T2", "U1"))
    assert not core.names_moderator(MemberRef("discord", "T1", "U1"))
    assert core.names_moderator(MemberRef("console", "demo", "morgan"))


def test_a_malformed_storage_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings({"storage": {"url": "postgresql+asyncpg://u:p@h:notaport/db"}})
    assert "[storage] url" in str(raised.value)

"""Choosing "Add to Slack" (`[slack] client_id`): what it needs from the environment is said
at the start, naming the variable and how to get it; one bot token works as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from adapters.config import ConfigError, Settings, parse_settings
from adapters.slack.connection import SlackCredentials
from adapters.slack.installs import KEY_ENV, TokenCipher
from adapters.slack.manifest import manifest
from adapters.slack.runtime import SLACK
from tests.support.settings import settings_for

ENV = {
    "SLACK_CLIENT_SECRET": "secret",
    "SLACK_SIGNING_SECRET": "signing",
    KEY_ENV: Fernet.generate_key().decode(),
}


def oauth_settings(tmp_path: Path, **slack: object) -> Settings:
    options = {"mode": "http", "client_id": "1111.2222", **slack}
    return settings_for(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", slack=options)


@pytest.mark.parametrize("missing", sorted(ENV))
def test_each_missing_secret_is_named_at_the_start(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        SLACK.adapter(oauth_settings(tmp_path), env)


@pytest.mark.parametrize("key", ["not-a-key", "c2hvcnQ=", ""])
def test_a_bad_token_key_says_how_to_make_one(key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        TokenCipher.from_env({KEY_ENV: key})
    assert KEY_ENV in str(refused.value)
    assert "Fernet.generate_key()" in str(refused.value)


def test_a_second_key_still_opens_tokens_sealed_with_the_old_one() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = TokenCipher.from_env({KEY_ENV: old}).encrypt("xoxb-1")
    assert TokenCipher.from_env({KEY_ENV: f"{new},{old}"}).decrypt(sealed) == "xoxb-1"
    assert TokenCipher.from_env({KEY_ENV: new}).decrypt(sealed) is None


def test_add_to_slack_needs_http_and_a_database_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match='needs mode = "http"'):
        parse_settings({"slack": {"client_id": "1111.2222"}})
    in_memory = settings_for("sqlite+aiosqlite://", slack={"mode": "http", "client_id": "1.2"})
    with pytest.raises(ConfigError, match="in memory"):
        SLACK.adapter(in_memory, ENV)


def test_one_bot_token_still_means_one_workspace(tmp_path: Path) -> None:
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", slack={"mode": "http"})
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    adapter = SLACK.adapter(settings, env)
    assert adapter is not None
    assert isinstance(adapter.credentials, SlackCredentials)
    assert adapter.installs is None


def test_the_manifest_asks_for_what_the_install_asks_and_hears_uninstalls() -> None:
    data = manifest()
    assert data["oauth_config"]["scopes"]["bot"] == parse_settings({}).slack.scopes
    events = data["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)

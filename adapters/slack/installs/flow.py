"""Bolt's OAuth flow for "Add to Slack": the install page at `[slack] install_path`, Slack's
redirect back at `[slack] redirect_path`, the installation saved in our database.

Rules: OAuth runs when `[slack] client_id` is set; its secrets come from the environment:
SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET and the token key (see cipher), each missing one a
ConfigError naming it; the bot asks for `[slack] scopes`; an install that worked or failed ends
on a page in plain words (see pages); a workspace just installed is told to the adapter
(`on_installed`), which records its admins as moderators; Bolt asks Slack who a token is
(auth.test) once per token, not on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.config import ConfigError
from adapters.slack.installs.cipher import TokenCipher
from adapters.slack.installs.pages import on_failure, on_success
from adapters.slack.settings import SlackConfig


@dataclass(frozen=True)
class OAuthSecrets:
    client_secret: str
    signing_secret: str
    cipher: TokenCipher

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OAuthSecrets:
        return cls(
            _required(env, "SLACK_CLIENT_SECRET", "the Client Secret from Basic Information"),
            _required(env, "SLACK_SIGNING_SECRET", "the Signing Secret from Basic Information"),
            TokenCipher.from_env(env),
        )


def _required(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(
            f"{name} is not set: Slack's OAuth install ([slack] client_id) needs {what}. "
            "See docs/deploy.md, Many Slack workspaces."
        )
    return value


def oauth_flow(
    config: SlackConfig,
    secrets: OAuthSecrets,
    installations: AsyncInstallationStore,
    states: AsyncOAuthStateStore,
    client: AsyncWebClient,
    on_installed: Callable[[str], None],
) -> AsyncOAuthFlow:
    """The flow Bolt serves; `client` (no token) calls oauth.v2.access on Slack."""
    assert config.oauth, "OAuth runs only with [slack] client_id"

    async def installed(args: AsyncSuccessArgs) -> BoltResponse:
        if args.installation.team_id:
            on_installed(args.installation.team_id)
        return await on_success(args)

    settings = AsyncOAuthSettings(
        client_id=config.client_id,
        client_secret=secrets.client_secret,
        scopes=config.scopes,
        redirect_uri=config.redirect_uri or None,
        install_path=config.install_path,
        redirect_uri_path=config.redirect_path,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=config.install_link_seconds,
        callback_options=AsyncCallbackOptions(success=installed, failure=on_failure),
    )
    if isinstance(settings.authorize, AsyncInstallationStoreAuthorize):
        # One auth.test per token, not one per request; an uninstalled workspace is still
        # refused at once (its installation is looked up first, on every request).
        settings.authorize.cache_enabled = True
    return AsyncOAuthFlow(client=client, settings=settings)

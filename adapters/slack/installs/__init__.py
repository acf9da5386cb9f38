"""Slack for many workspaces ("Add to Slack"): the OAuth install flow, each workspace's tokens
stored encrypted in our database (slack-sdk's tables), and the Web API client for each."""

from adapters.slack.installs.cipher import KEY_ENV, TokenCipher
from adapters.slack.installs.flow import OAuthSecrets, oauth_flow
from adapters.slack.installs.store import EncryptedInstallationStore, open_store
from adapters.slack.installs.teams import InstalledTeams, OneTeam, TeamClients, team_clients

__all__ = [
    "KEY_ENV",
    "EncryptedInstallationStore",
    "InstalledTeams",
    "OAuthSecrets",
    "OneTeam",
    "TeamClients",
    "TokenCipher",
    "oauth_flow",
    "open_store",
    "team_clients",
]

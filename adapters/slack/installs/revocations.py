"""`app_uninstalled` and `tokens_revoked`: a workspace that removed the app, or revoked its bot
token, gets nothing more from the bot at once.

Rules: its tokens are deleted (Bolt's own listeners, on our store) and its client forgotten,
so the next message for it finds no installation and fails with every message waiting for it
(see the messenger), nothing retried; its members, circles and history are kept as any other
workspace's (the retention period applies; /forgetme and the privacy erasure as ever); an
install again serves it as before. A revoked user token alone changes nothing for sending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from adapters.shared.in_flight import InFlight

log = logging.getLogger(__name__)


class Revocations:
    def __init__(self, store: AsyncInstallationStore, forget: Callable[[str], None]) -> None:
        """`forget(team_id)`: drop what is remembered of the workspace's token."""
        self._builtin = AsyncTokenRevocationListeners(store)
        self._forget = forget
        self.in_flight = InFlight()
        """Each event's work after its ack, until it ends."""

    def register(self, app: AsyncApp) -> None:
        app.event("app_uninstalled")(self.on_app_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)

    async def on_app_uninstalled(self, context: AsyncBoltContext) -> None:
        with self.in_flight.this_task():
            await self._builtin.handle_app_uninstalled_events(context)
            self._gone(context.team_id, "the app was uninstalled")

    async def on_tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        with self.in_flight.this_task():
            await self._builtin.handle_tokens_revoked_events(event, context)
            if (event.get("tokens") or {}).get("bot"):
                self._gone(context.team_id, "its bot token was revoked")

    def _gone(self, team_id: str | None, why: str) -> None:
        if team_id:
            self._forget(team_id)
        log.info("Slack workspace %s: %s; nothing more goes to it, its data is kept", team_id, why)

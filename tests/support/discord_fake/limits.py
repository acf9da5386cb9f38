"""Discord's numbers the fake holds the bot to: the application's ids, the deadlines of an
interaction and the sizes of what one request may carry."""

from __future__ import annotations

from typing import Final

APPLICATION_ID: Final = "1200000000000000001"
"""The application's id, which is also the bot user's id (as for every app made since 2020)."""
BOT_USERNAME: Final = "circles"
OWNER_ID: Final = "1200000000000000002"
INITIAL_RESPONSE_DEADLINE: Final = 3.0
"""Seconds Discord waits for an interaction's initial response (then 10062)."""
TOKEN_LIFETIME: Final = 15 * 60.0
"""Seconds an interaction token stays valid for followups and edits (then 50027)."""
NONCE_WINDOW: Final = 5 * 60.0
"""How long a message nonce is remembered with `enforce_nonce` (Discord: "a few minutes")."""
MAX_CONTENT: Final = 2000
MAX_EMBEDS: Final = 10
MAX_NONCE: Final = 25
MAX_COMMANDS: Final = 100
MAX_OPTIONS: Final = 25
MAX_FILES: Final = 10
"""Attachments one message may carry."""
MAX_REQUEST_BYTES: Final = 64 * 1024 * 1024
"""What the fake's server reads of one request (aiohttp's default, 1 MiB, is below Discord's)."""
DEFAULT_RETRY_AFTER: Final = 0.05

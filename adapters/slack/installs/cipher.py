"""Tokens encrypted at rest: Fernet (AES-128-CBC with an HMAC) with the key(s) in
CIRCLES_SLACK_TOKEN_KEY.

Rules: the variable holds one key, or several separated by commas to change keys: the first
encrypts, any of them decrypts; a missing or malformed key is a ConfigError at the start that
names the variable and says how to make a key; a stored value no key opens is None (that
workspace is treated as not installed and the log says why), never an exception in a send.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from adapters.config import ConfigError

KEY_ENV = "CIRCLES_SLACK_TOKEN_KEY"
MAKE_A_KEY = (
    'make one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)
log = logging.getLogger(__name__)


class TokenCipher:
    def __init__(self, keys: list[str]) -> None:
        """`keys`: Fernet keys (32 bytes, url-safe base64), the first one encrypting."""
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TokenCipher:
        keys = [k.strip() for k in env.get(KEY_ENV, "").split(",") if k.strip()]
        if not keys:
            raise ConfigError(
                f"{KEY_ENV} is not set: Slack's OAuth install ([slack] client_id) stores each "
                f"workspace's tokens encrypted with it; {MAKE_A_KEY}"
            )
        try:
            return cls(keys)
        except ValueError:
            raise ConfigError(
                f"{KEY_ENV} is not a valid key (each key is 32 bytes in url-safe base64, keys "
                f"separated by commas); {MAKE_A_KEY}"
            ) from None

    def encrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, stored: str | None) -> str | None:
        if stored is None:
            return None
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            log.error(
                "a stored Slack token cannot be decrypted with %s (was the key changed? keep "
                "the old key after the new one, separated by a comma)",
                KEY_ENV,
            )
            return None

"""Errors the core turns into a plain answer for the person who typed the command."""

from bot.kernel.command_refs import usage_ref


class UserError(Exception):
    """Something the user can fix. The message says what to do; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(UserError):
    """The command's words did not fit its usage."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(f"{message}\nUsage: {usage_ref(usage)}")
        self.usage = usage


class NotAllowed(UserError):
    """The actor may not do this here."""


class NotFound(UserError):
    """No such thing, as far as this actor may know (a private circle is not found by outsiders)."""

"""`python -m tests.support.screens`: capture the journey on every platform and rewrite the
"What a student sees" block of docs/slack.md and docs/discord.md."""

from tests.support.screens.documents import write

write()

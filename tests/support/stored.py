"""What a test reads back of what the bot kept: rows of its database, and a member's export."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from adapters.bootstrap import App
from bot.kernel.replies import Reply


async def rows(app: App, query: str) -> list[dict[str, Any]]:
    """The rows a SQL query finds in the app's database, each as a dict by column name."""
    async with app.engine.connect() as connection:
        return [dict(r._mapping) for r in await connection.execute(text(query))]


def exported(reply: Reply) -> dict[str, Any]:
    """The JSON document of a `/privacy export` reply (its one file)."""
    [file] = reply.files
    document: dict[str, Any] = json.loads(file.content.decode("utf-8"))
    return document

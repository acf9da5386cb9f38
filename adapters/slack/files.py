"""Files that come with a reply, sent to the person alone: into their DM with the app.

Rules:
- a reply's files go to the DM with the person who asked (`conversations.open` names it), never
  to the channel the command was typed in, each uploaded on its own, the first with a line
  saying what they are, titled with its name;
- a file Slack refuses stops the rest, and what to tell the person comes back as text
  ("I couldn't attach the file ...: <Slack's error>; try again"); nothing is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.kernel.replies import Attachment

log = logging.getLogger(__name__)


def introduction(count: int) -> str:
    """The comment under the first file."""
    if count == 1:
        return "Here is the file that goes with my answer."
    return f"Here are the {count} files that go with my answer."


async def send_files(
    client: AsyncWebClient, user_id: str, files: Sequence[Attachment]
) -> str | None:
    """Upload `files` into `user_id`'s DM with the app; None once all arrived, else the line to
    tell them what failed."""
    if not files:
        return None
    try:
        opened = await client.conversations_open(users=user_id)
        channel = str(opened["channel"]["id"])
    except (SlackApiError, SlackClientError, aiohttp.ClientError, OSError) as e:
        log.warning("could not open the DM of %s for files: %s", user_id, e)
        return couldnt_attach(files[0].name, e)
    for index, attachment in enumerate(files):
        try:
            await client.files_upload_v2(
                channel=channel,
                file=attachment.content,
                filename=attachment.name,
                title=attachment.name,
                initial_comment=introduction(len(files)) if index == 0 else None,
            )
        except (SlackApiError, SlackClientError, aiohttp.ClientError, OSError) as e:
            log.warning("could not upload %s to %s: %s", attachment.name, user_id, e)
            return couldnt_attach(attachment.name, e)
    return None


def couldnt_attach(name: str, error: Exception) -> str:
    return f"I couldn't attach the file {name}: {_reason(error)}; try again."


def _reason(error: Exception) -> str:
    """Slack's error code when it answered one; else what happened, in a few words."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or "Slack refused it")
    if isinstance(error, aiohttp.ClientError | OSError):
        return "Slack could not be reached"
    return "the upload did not go through"

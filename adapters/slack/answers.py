"""How a reply reaches the person on Slack: through the request's response URL, in a modal, by
DM; and its files after it.

Rules:
- a reply through a response URL is ephemeral: only the person sees it;
- a reply with no response URL to follow (the App Home, a modal closed before the core
  answered) comes by DM;
- a modal is opened at once with "one moment", while the request's trigger is fresh (it lives
  about 3 seconds), and filled when the core has answered;
- files follow the reply into the person's DM with the app; a file Slack refused is told the way
  the reply went (privately, under it), or by DM;
- what Slack refuses here is logged, never raised: the person's command has run either way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.files import send_files
from adapters.slack.forms import loading_view
from adapters.slack.render import answered_payload, noting_files, reply_payload
from bot.kernel.model import Action, Actor
from bot.kernel.replies import Reply

if TYPE_CHECKING:
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_bolt.context.respond.async_respond import AsyncRespond

log = logging.getLogger(__name__)


class Ack(Protocol):
    """Bolt's `ack`: the answer Slack waits for, at most 3 seconds after the request."""

    async def __call__(
        self,
        *,
        response_action: str | None = None,
        errors: dict[str, str] | None = None,
        view: dict[str, Any] | None = None,
    ) -> object: ...


class Respond(Protocol):
    """Bolt's `respond`: a message through the request's response URL."""

    async def __call__(
        self,
        *,
        text: str = "",
        blocks: Sequence[dict[str, Any]] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
    ) -> object: ...


if TYPE_CHECKING:

    def _bolts_own(ack: AsyncAck, respond: AsyncRespond) -> tuple[Ack, Respond]:
        """Never run: mypy checks here that Bolt's own `ack` and `respond` fit the protocols."""
        return ack, respond


async def respond_privately(respond: Respond, reply: Reply, more: tuple[Action, ...] = ()) -> None:
    """`reply` under the request, for the person alone, with `more` buttons."""
    try:
        await respond(response_type="ephemeral", **reply_payload(noting_files(reply), more=more))
    except (SlackApiError, SlackClientError, OSError) as e:
        log.warning("could not answer through response_url: %s", e)


async def answer_under(respond: Respond, message: dict[str, Any], reply: Reply) -> None:
    """`reply` to a button, in place of the message it was under (text kept, buttons gone)."""
    await respond(replace_original=True, **answered_payload(message, reply))


async def direct(client: AsyncWebClient, actor: Actor, reply: Reply) -> None:
    """A reply with no response_url to follow (the App Home, a late modal): by DM."""
    try:
        await client.chat_postMessage(channel=actor.ref.user_id, **reply_payload(reply))
    except (SlackApiError, SlackClientError, OSError) as e:
        log.warning("could not DM a reply to %s: %s", actor.ref.user_id, e)


async def form_window(client: AsyncWebClient, trigger_id: str | None) -> str | None:
    """Open a "one moment" modal at once, while the trigger is fresh (it lives about 3 s), to
    be filled when the core has answered; its view id, or None when Slack refused it."""
    if not trigger_id:
        return None
    try:
        opened = await client.views_open(trigger_id=trigger_id, view=loading_view())
    except (SlackApiError, SlackClientError, OSError) as e:
        log.info("views.open refused: %s", e)
        return None
    return str(opened["view"]["id"])


async def show(client: AsyncWebClient, view_id: str, view: dict[str, Any]) -> None:
    """Fill the modal `view_id` opened with `view`."""
    try:
        await client.views_update(view_id=view_id, view=view)
    except (SlackApiError, SlackClientError, OSError) as e:
        log.warning("views.update failed: %s", e)


async def attach(
    client: AsyncWebClient, actor: Actor, reply: Reply, respond: Respond | None = None
) -> None:
    """After the reply: its files into the person's DM with the app. A file Slack refused is
    told to them through `respond` (privately, under the reply), or by DM without one."""
    problem = await send_files(client, actor.ref.user_id, reply.files)
    if problem is None:
        return
    if respond is not None:
        await respond_privately(respond, Reply.error(problem))
    else:
        await direct(client, actor, Reply.error(problem))

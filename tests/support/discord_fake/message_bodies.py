"""Message bodies as Discord reads them: its refusals (too long, too many embeds, a long nonce,
nothing to show), an edit as it applies it, attachments made of uploads, and what the fake
records of a message sent."""

from __future__ import annotations

from tests.support import discord_payloads as p
from tests.support.discord_fake.limits import MAX_CONTENT, MAX_EMBEDS, MAX_NONCE
from tests.support.discord_fake.records import JsonDict, SentMessage, Upload
from tests.support.discord_fake.refusals import DiscordError, refused


def sent_message(
    message: JsonDict,
    body: JsonDict,
    uploads: tuple[Upload, ...] = (),
    *,
    interaction_id: str | None = None,
) -> SentMessage:
    nonce = body.get("nonce")
    return SentMessage(
        id=str(message["id"]),
        channel_id=str(message["channel_id"]),
        content=body.get("content"),
        embeds=list(body.get("embeds") or []),
        components=list(body.get("components") or []),
        allowed_mentions=body.get("allowed_mentions"),
        nonce=None if nonce is None else str(nonce),
        enforce_nonce=bool(body.get("enforce_nonce")),
        flags=int(message.get("flags") or 0),
        body=body,
        payload=message,
        interaction_id=interaction_id,
        files=uploads,
    )


def attachment_objects(body: JsonDict, uploads: tuple[Upload, ...]) -> list[JsonDict]:
    return [
        {
            "id": p.snowflake(),
            "filename": upload.name,
            "size": len(upload.content),
            "content_type": upload.content_type,
            "url": f"https://cdn.invalid/{upload.name}",
            "proxy_url": f"https://cdn.invalid/{upload.name}",
        }
        for upload in uploads
    ]


def check_message_body(body: JsonDict, *, files: tuple[str, ...], creating: bool) -> None:
    """Discord's refusals of a message body: too long, too many embeds, a long nonce, or
    (creating) nothing to show."""
    content = body.get("content")
    errors: JsonDict = {}
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        errors["content"] = p.field_error(
            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CONTENT} or fewer in length."
        )
    embeds = body.get("embeds")
    if isinstance(embeds, list) and len(embeds) > MAX_EMBEDS:
        errors["embeds"] = p.field_error(
            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length."
        )
    nonce = body.get("nonce")
    if nonce is not None and len(str(nonce)) > MAX_NONCE:
        errors["nonce"] = p.field_error(
            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_NONCE} or fewer in length."
        )
    if errors:
        raise DiscordError(400, p.invalid_form_body(errors))
    shows = (
        content
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or files
    )
    if creating and not shows:
        raise refused(400, 50006)


def apply_edit(message: JsonDict, body: JsonDict, uploads: tuple[Upload, ...] = ()) -> None:
    """An edit as Discord applies it; `attachments` lists the ones kept (by id) and the new
    files (by index), which come as `uploads`."""
    for key in ("content", "embeds", "components"):
        if key in body:
            value = body[key]
            message[key] = value if value is not None else ("" if key == "content" else [])
    if "attachments" in body or uploads:
        listed = {str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, dict)}
        kept = [a for a in message.get("attachments") or [] if str(a.get("id")) in listed]
        message["attachments"] = kept + attachment_objects(body, uploads)
    if "flags" in body and body["flags"] is not None:
        keep = int(message["flags"]) & (p.EPHEMERAL | p.LOADING)
        message["flags"] = keep | (int(body["flags"]) & ~(p.EPHEMERAL | p.LOADING))
    message["edited_timestamp"] = p.iso_timestamp()

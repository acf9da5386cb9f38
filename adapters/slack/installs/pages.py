"""The pages a school's administrator sees at the end of "Add to Slack", in plain words.

Rules: success names the workspace and says what to do next; a failure says what happened in
words (never Slack's error code alone, never a traceback) and links back to the install page;
nothing in a page comes from the request unescaped.
"""

from __future__ import annotations

import html

from slack_bolt.oauth.async_callback_options import AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.response import BoltResponse

FAILURES = {
    "invalid_state": (
        "This install link has expired or was already used. Links from the install page "
        "work once, for a few minutes."
    ),
    "invalid_browser": (
        "This install was started in another browser (or its cookies were cleared). Start "
        "again in this browser."
    ),
    "access_denied": "The install was cancelled in Slack. Nothing was changed.",
    "missing_code": "Slack did not confirm the install. Nothing was changed.",
    "invalid_code": "Slack did not confirm the install. Nothing was changed.",
    "storage_error": (
        "Slack confirmed the install, but it could not be saved here. Please try again in a "
        "few minutes; if it happens again, tell whoever runs Mentor Circles for you."
    ),
}
UNKNOWN_FAILURE = "The install did not finish. Nothing was changed."


def page(title: str, *paragraphs: str, status: int = 200) -> BoltResponse:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    document = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )
    return BoltResponse(
        status=status, body=document, headers={"Content-Type": "text/html; charset=utf-8"}
    )


def installed_page(team_name: str) -> BoltResponse:
    where = html.escape(team_name) if team_name else "your workspace"
    return page(
        "Mentor Circles is installed",
        f"Mentor Circles is now part of {where}. You can close this page.",
        "In Slack, type <b>/circles</b> to see every command. The workspace's admins and "
        "owners are its moderators; a moderator starts with <b>/circle create</b>.",
    )


def failed_page(reason: str, install_path: str, status: int) -> BoltResponse:
    said = FAILURES.get(reason, UNKNOWN_FAILURE)
    again = f'<a href="{html.escape(install_path)}">Start the install again</a>.'
    return page("Mentor Circles was not installed", html.escape(said), again, status=status)


async def on_success(args: AsyncSuccessArgs) -> BoltResponse:
    return installed_page(args.installation.team_name or "")


async def on_failure(args: AsyncFailureArgs) -> BoltResponse:
    return failed_page(args.reason, args.settings.install_path, args.suggested_status_code)

"""Files that go with a private reply (a data export, a chart, a CSV) reach the person who asked
and nobody else: saved to a file whose path the console prints, uploaded into their DM with the
app on Slack, attached to the ephemeral answer on Discord.

Most tests replace the core's handler for `ExportMyData` with one answering a private reply with
the test's files (`export_gives`), to choose their sizes and count; the `real_export` tests run
the real `/privacy export`."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

import adapters.discord.interactions as interactions
from adapters.bootstrap import App
from adapters.clock import OffsetClock
from adapters.console.files import safe_name
from adapters.console.people import actor
from adapters.console.session import ConsoleSession
from bot.kernel.context import Context
from bot.kernel.replies import Attachment, Reply
from bot.privacy.commands import ExportMyData
from bot.profile.commands import UpdateProfile
from bot.runtime.handlers import HANDLERS
from tests.support import discord_payloads as p
from tests.support import slack_payloads as payloads
from tests.support.discord_harness import CHANNEL, DiscordHarness
from tests.support.schools import ADA
from tests.support.settings import START
from tests.support.slack_fake import FakeSlack
from tests.support.slack_harness import SlackHarness

EXPORT = Attachment(
    "mentor-circles-export-2026-03-03.json",
    b'{"member": "Ada", "circles": ["algebra-club"]}\n',
    "application/json",
)
CHART = Attachment("stats-12-weeks.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png")
SAID = "Here is everything stored about you."

ExportGives = Callable[..., None]


@pytest.fixture
def export_gives(monkeypatch: pytest.MonkeyPatch) -> ExportGives:
    """`export_gives(*files)`: from then on `/privacy export` answers privately with them."""

    def give(*files: Attachment) -> None:
        async def handler(command: ExportMyData, ctx: Context) -> Reply:
            return Reply(SAID, files=files)

        monkeypatch.setitem(HANDLERS, ExportMyData, handler)

    return give


# -- the console -------------------------------------------------------------------------------


def _names(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def _console(app: App, out: io.StringIO, files_dir: str) -> ConsoleSession:
    return ConsoleSession(
        app, OffsetClock(START), out, "demo", actor("demo", "Ada", False), set(), files_dir
    )


async def test_the_console_saves_each_file_and_prints_where(
    app: App,
    export_gives: ExportGives,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    export_gives(EXPORT, CHART)
    out = io.StringIO()
    await _console(app, out, "./exports").handle_line("/privacy export")
    lines = out.getvalue().splitlines()
    assert lines[0] == SAID
    export_path = os.path.join("./exports", "demo", "ada", EXPORT.name)
    assert lines[1] == f"(saved {EXPORT.name}: {export_path}, {len(EXPORT.content)} bytes)"
    assert lines[2].startswith(f"(saved {CHART.name}: ")
    assert lines[2].endswith(", 1.0 KB)")
    assert (tmp_path / "exports" / "demo" / "ada" / EXPORT.name).read_bytes() == EXPORT.content
    assert (tmp_path / "exports" / "demo" / "ada" / CHART.name).read_bytes() == CHART.content


async def test_a_second_export_never_overwrites_the_first(
    app: App, export_gives: ExportGives, tmp_path: Path
) -> None:
    """The newest file has the name the reply gives; earlier ones are kept as -2, -3..."""
    folder = tmp_path / "exports" / "demo" / "ada"
    out = io.StringIO()
    session = _console(app, out, str(tmp_path / "exports"))
    export_gives(EXPORT)
    await session.handle_line("/privacy export")
    newer = Attachment(EXPORT.name, b'{"member": "Ada", "circles": []}\n', EXPORT.media_type)
    export_gives(newer)
    await session.handle_line("/privacy export")
    newest = Attachment(EXPORT.name, b'{"member": "Ada"}\n', EXPORT.media_type)
    export_gives(newest)
    await session.handle_line("/privacy export")
    second = "mentor-circles-export-2026-03-03-2.json"
    third = "mentor-circles-export-2026-03-03-3.json"
    assert f"(saved {EXPORT.name}: {folder / EXPORT.name}, " in out.getvalue()
    assert f"; the earlier one is kept as {second})" in out.getvalue()
    assert f"; the earlier one is kept as {third})" in out.getvalue()
    assert (folder / second).read_bytes() == EXPORT.content
    assert (folder / third).read_bytes() == newer.content
    assert (folder / EXPORT.name).read_bytes() == newest.content
    assert _names(folder) == {EXPORT.name, second, third}


async def test_a_file_name_from_the_core_cannot_leave_the_folder_or_hide(
    app: App, export_gives: ExportGives, tmp_path: Path
) -> None:
    export_gives(Attachment("../../.ssh/authorized_keys", b"not a key", "text/plain"))
    out = io.StringIO()
    await _console(app, out, str(tmp_path / "exports")).handle_line("/privacy export")
    [name] = _names(tmp_path / "exports" / "demo" / "ada")
    saved = tmp_path / "exports" / "demo" / "ada" / name
    assert saved.read_bytes() == b"not a key"
    assert not saved.name.startswith(".")
    assert f"(saved {saved.name}: " in out.getvalue()
    assert _names(tmp_path) == {"exports"}


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("report.csv", "report.csv"),
        ("a/b\\c.csv", "a_b_c.csv"),
        ("...hidden", "hidden"),
        ("..", "file"),
        ("", "file"),
        ("tab\there.txt", "tab_here.txt"),
    ],
)
def test_names_are_made_safe(given: str, safe: str) -> None:
    assert safe_name(given) == safe


def test_a_long_name_keeps_its_extension() -> None:
    name = safe_name("x" * 500 + ".json")
    assert len(name) <= 120
    assert name.endswith(".json")


async def test_a_folder_that_cannot_be_made_is_said_not_raised(
    app: App, export_gives: ExportGives, tmp_path: Path
) -> None:
    blocker = tmp_path / "exports"
    blocker.write_text("a file where the folder should be")
    export_gives(EXPORT)
    out = io.StringIO()
    await _console(app, out, str(blocker)).handle_line("/privacy export")
    assert SAID in out.getvalue()
    assert f"(couldn't save {EXPORT.name} in " in out.getvalue()


# -- Slack -------------------------------------------------------------------------------------


async def test_slack_uploads_the_files_into_my_dm_after_the_ephemeral_reply(
    slack: SlackHarness, export_gives: ExportGives
) -> None:
    export_gives(EXPORT, CHART)
    reply = await slack.reply_to("UADA", "/privacy", "export")
    assert reply["response_type"] == "ephemeral"
    assert SAID in reply["text"]
    assert "our DM" in reply["text"]
    [opened] = [c for c in slack.fake.calls_to("conversations.open") if c.params.get("users")]
    assert opened.params["users"] == "UADA"
    asked = slack.fake.calls_to("files.getUploadURLExternal")
    assert [(c.params["filename"], int(c.params["length"])) for c in asked] == [
        (EXPORT.name, len(EXPORT.content)),
        (CHART.name, len(CHART.content)),
    ]
    assert all(c.ok for c in asked)
    ids = [c.answer["file_id"] for c in asked if c.answer]
    assert [slack.fake.uploads[i] for i in ids] == [EXPORT.content, CHART.content]
    completed = slack.fake.calls_to("files.completeUploadExternal")
    assert len(completed) == 2
    assert all(c.ok for c in completed)
    first, second = slack.fake.file_shares
    assert first.channel == "DUADA"
    assert second.channel == "DUADA"
    assert first.initial_comment
    assert second.initial_comment is None
    shared = slack.fake.files_in("DUADA")
    assert [(f.name, f.title, f.content) for f in shared] == [
        (EXPORT.name, EXPORT.name, EXPORT.content),
        (CHART.name, CHART.name, CHART.content),
    ]
    assert slack.fake.posted == [], "nothing about it was posted anywhere"


async def test_slack_real_export_arrives_in_my_dm_as_json(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UADA", "/privacy", "export")
    assert reply["response_type"] == "ephemeral"
    assert "Only you got this file" in reply["text"]
    [share] = slack.fake.file_shares
    assert share.channel == "DUADA"
    [file] = share.files
    assert file.name == "mentor-circles-export-2026-03-03.json"
    assert json.loads(file.content)["member"]["user_id"] == "UADA"


@pytest.mark.parametrize(
    ("fault", "said"),
    [("scope", "missing_scope"), ("upload", "the upload did not go through")],
)
async def test_slack_tells_me_when_a_file_could_not_be_attached(
    slack: SlackHarness, export_gives: ExportGives, fault: str, said: str
) -> None:
    """An app installed before it asked for files:write, or Slack's upload service failing."""
    if fault == "scope":
        slack.fake.scopes = "commands,chat:write,im:write,users:read"
    else:
        slack.fake.fail_next_upload(500)
    export_gives(EXPORT)
    response_url = await slack.command("UADA", "/privacy", "export")
    await slack.settle()
    answer, problem = slack.fake.responses_to(response_url)
    assert SAID in answer["text"]
    assert problem["response_type"] == "ephemeral"
    assert problem["text"] == f"I couldn't attach the file {EXPORT.name}: {said}; try again."
    assert slack.fake.file_shares == []


async def test_slack_sends_files_by_dm_for_a_button_with_no_response_url(
    slack: SlackHarness, export_gives: ExportGives
) -> None:
    """A button in the App Home has no response URL: the reply and its files come by DM."""
    export_gives(CHART)
    await slack.interact(
        payloads.block_action(
            "run:0",
            "/privacy export",
            "UADA",
            trigger_id=slack.fake.new_trigger_id(),
            container=payloads.view_container("VHOME"),
            view={"id": "VHOME", "type": "home", "blocks": []},
        )
    )
    await slack.settle()
    assert slack.dms_to("UADA") == [SAID]
    assert [f.content for f in slack.fake.files_in("DUADA")] == [CHART.content]


async def test_slack_files_of_a_reply_shown_in_a_modal_come_by_dm(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A modal's answer replaces the form, where no file can go: the files come by DM."""

    async def saved(command: UpdateProfile, ctx: Context) -> Reply:
        return Reply("Saved your profile.", files=(EXPORT,))

    monkeypatch.setitem(HANDLERS, UpdateProfile, saved)
    reply = await slack.reply_to("UADA", "/profile")
    [edit] = [
        e
        for b in reply["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Edit profile"
    ]
    await slack.interact(
        payloads.block_action(
            edit["action_id"],
            "",
            "UADA",
            trigger_id=slack.fake.new_trigger_id(),
            response_url=slack.fake.new_response_url(),
        )
    )
    await slack.settle()
    [modal] = slack.forms_shown()
    state = {
        b["block_id"]: {"answer": payloads.plain_text_value(b["element"].get("initial_value", ""))}
        for b in modal["blocks"]
    }
    status, body = await slack.interact(
        payloads.view_submission("profile", modal["private_metadata"], state, "UADA")
    )
    await slack.settle()
    assert status == 200
    assert json.loads(body)["response_action"] == "update"
    assert [f.content for f in slack.fake.files_in("DUADA")] == [EXPORT.content]


async def test_the_fake_slack_takes_files_as_files_upload_v2_sends_them() -> None:
    async with FakeSlack() as fake:
        fake.add_user("UADA", "ada")
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
        done = await client.files_upload_v2(
            channel="DUADA", file=CHART.content, filename=CHART.name, title="Chart"
        )
        assert done["file"]["size"] == len(CHART.content)
        [share] = fake.file_shares
        assert share.channel == "DUADA"
        assert share.files[0].title == "Chart"
        assert share.files[0].content == CHART.content
        with pytest.raises(SlackApiError) as refused:
            await client.files_completeUploadExternal(files=[{"id": share.files[0].id}])
        assert refused.value.response["error"] == "file_not_found", "completed once only"


# -- Discord -----------------------------------------------------------------------------------


async def test_discord_attaches_the_files_to_the_ephemeral_answer(
    discord_bot: DiscordHarness, export_gives: ExportGives
) -> None:
    export_gives(EXPORT, CHART)
    sent = await discord_bot.command(ADA, "privacy", "export")
    [answer] = [c for c in discord_bot.fake.callbacks[sent.id] if c.accepted]
    assert answer.type == p.CHANNEL_MESSAGE_WITH_SOURCE
    assert answer.ephemeral
    assert answer.content == SAID
    assert [(f.name, f.content) for f in answer.files] == [
        (EXPORT.name, EXPORT.content),
        (CHART.name, CHART.content),
    ]
    original = discord_bot.fake.original(sent.id)
    assert original is not None
    assert [a["size"] for a in original["attachments"]] == [len(EXPORT.content), len(CHART.content)]
    assert discord_bot.fake.messages.get(CHANNEL, []) == [], "nothing was posted in the channel"


async def test_discord_real_export_is_attached_as_json(discord_bot: DiscordHarness) -> None:
    sent = await discord_bot.command(ADA, "privacy", "export")
    [answer] = [c for c in discord_bot.fake.callbacks[sent.id] if c.accepted]
    assert answer.ephemeral
    assert "Only you got this file" in (answer.content or "")
    [file] = answer.files
    assert file.name == "mentor-circles-export-2026-03-03.json"
    assert json.loads(file.content)["member"]["user_id"] == ADA


async def test_discord_leaves_off_a_file_too_big_and_says_so(
    discord_bot: DiscordHarness, export_gives: ExportGives
) -> None:
    discord_bot.fake.attachment_size_limit = 1000
    big = Attachment("everything.json", b"x" * 1500, "application/json")
    export_gives(big, EXPORT)
    sent = await discord_bot.command(ADA, "privacy", "export")
    [answer] = [c for c in discord_bot.fake.callbacks[sent.id] if c.accepted]
    assert answer.ephemeral
    assert [f.name for f in answer.files] == [EXPORT.name]
    assert answer.content is not None
    assert answer.content.startswith(SAID)
    assert "I couldn't attach everything.json (1.5 KB)" in answer.content
    assert "1000 bytes" in answer.content


async def test_discord_attaches_ten_files_at_most(
    discord_bot: DiscordHarness, export_gives: ExportGives
) -> None:
    many = [Attachment(f"week-{n:02}.csv", f"week,{n}\n".encode(), "text/csv") for n in range(11)]
    export_gives(*many)
    sent = await discord_bot.command(ADA, "privacy", "export")
    [answer] = [c for c in discord_bot.fake.callbacks[sent.id] if c.accepted]
    assert [f.name for f in answer.files] == [a.name for a in many[:10]]
    assert "I couldn't attach week-10.csv" in (answer.content or "")


async def test_discord_a_slow_answer_carries_the_files_in_its_follow_up(
    discord_bot: DiscordHarness, export_gives: ExportGives, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interactions, "BUDGET_SECONDS", 0.0)
    export_gives(EXPORT)
    sent = await discord_bot.command(ADA, "privacy", "export")
    assert discord_bot.answer(sent)["type"] == p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    [followup] = discord_bot.fake.followups[sent.id]
    assert followup.ephemeral
    assert followup.content == SAID
    assert [(f.name, f.content) for f in followup.files] == [(EXPORT.name, EXPORT.content)]

"""/settings: each workspace's own settings, changed by its moderators, over the config's
defaults; no choice of one workspace changes another (w1 is the `say` fixture's workspace, w2 a
second console workspace on the same database, moderated by Morgan too)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from bot.kernel.replies import Reply
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, speaker
from tests.support.settings import START, settings_for
from tests.support.stored import rows

KEYS = ("timezone", "kudos", "kudos_allowance", "retention_days", "mentors")


def setting(shown: Reply, key: str) -> str:
    """The line of `/settings` about `key`."""
    [line] = [line for line in shown.text.splitlines() if line.startswith(f"• {key}:")]
    return line


async def test_a_new_workspace_runs_on_the_config_s_defaults(say: Say) -> None:
    assert (await say("mona", "/settings")).ok
    shown = await say("morgan", "/settings")
    assert shown.ok
    assert setting(shown, "timezone") == "• timezone: Europe/Berlin (default)"
    assert setting(shown, "kudos") == "• kudos: moderators (default)"
    assert setting(shown, "kudos_allowance") == "• kudos_allowance: 5 (default)"
    assert setting(shown, "retention_days") == "• retention_days: 365 (default)"
    assert setting(shown, "mentors") == "• mentors: appointed (default)"
    assert "Moderators: Mona, Morgan." in shown.text
    assert "/profile set @person role mentor" in shown.text


async def test_a_setting_is_set_here_and_not_in_another_workspace(say: Say, in_w2: Say) -> None:
    changed = await say("morgan", "/settings set timezone America/Chicago")
    assert changed.ok
    assert "timezone is now America/Chicago in this workspace (was Europe/Berlin)" in changed.text
    assert setting(await say("morgan", "/settings"), "timezone") == (
        "• timezone: America/Chicago (set here)"
    )
    assert setting(await in_w2("morgan", "/settings"), "timezone") == (
        "• timezone: Europe/Berlin (default)"
    )


async def test_the_time_zone_is_the_one_of_members_who_set_none_in_that_workspace_only(
    say: Say, in_w2: Say
) -> None:
    assert (await say("morgan", "/settings set timezone America/Chicago")).ok
    assert "using the workspace's America/Chicago" in (await say("ada", "/profile")).text
    assert "using the workspace's Europe/Berlin" in (await in_w2("ada", "/profile")).text


async def test_kudos_from_everyone_and_their_allowance_are_each_workspace_s_own(
    say: Say, in_w2: Say
) -> None:
    for speak in (say, in_w2):
        assert (await speak("ben", "/profile set role student")).ok
        assert (await speak("cy", "/profile set role student")).ok
    refused = await say("ada", "/kudos @ben Great help with fractions")
    assert "Only moderators give kudos here" in refused.text

    assert (await say("morgan", "/settings set kudos everyone")).ok
    assert (await say("morgan", "/settings set kudos_allowance 1")).ok
    assert (await say("ada", "/kudos @ben Great help with fractions")).ok
    spent = await say("ada", "/kudos @cy Explained it so clearly")
    assert "You have given all 1 kudos this week" in spent.text

    other = await in_w2("ada", "/kudos @ben Great help with fractions")
    assert "Only moderators give kudos here" in other.text
    assert (await in_w2("morgan", "/settings set kudos everyone")).ok
    assert (await in_w2("ada", "/kudos @ben Great help with fractions")).ok
    assert (await in_w2("ada", "/kudos @cy Explained it so clearly")).ok, "w2 keeps 5 a week"


async def test_self_service_mentors_in_one_workspace_leave_the_other_appointing(
    say: Say, in_w2: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/settings set mentors self-service")).ok
    assert (await say("ada", "/profile set role mentor")).text == "Saved. role: mentor"
    assert "role: mentor" in (await say("ada", "/profile")).text
    asked = await in_w2("ada", "/profile set role mentor")
    assert "Mentors here are appointed by the moderators" in asked.text
    assert "role: student" in (await in_w2("ada", "/profile")).text
    [request] = [t for t in messenger.texts_to("morgan") if "asks to be a mentor" in t]
    assert "/settings set mentors self-service" in request, "the moderators learn the choice"


async def test_each_workspace_s_answers_and_concerns_are_kept_for_its_own_retention(
    app: App, say: Say, in_w2: Say, clock: ManualClock
) -> None:
    assert (await say("morgan", "/settings set retention_days 30")).ok
    assert (await say("ada", "/flag W1 worry about the bus")).ok
    assert (await in_w2("ada", "/flag W2 worry about the bus")).ok
    flags = "SELECT workspace_id, text FROM flags ORDER BY id"

    clock.advance(timedelta(days=29))
    await app.due.run_due()
    assert [r["text"] for r in await rows(app, flags)] == [
        "W1 worry about the bus",
        "W2 worry about the bus",
    ]
    clock.advance(timedelta(days=2))
    await app.due.run_due()
    assert await rows(app, flags) == [
        {"workspace_id": "w1", "text": ""},
        {"workspace_id": "w2", "text": "W2 worry about the bus"},
    ], "w1 keeps 30 days; w2 the config's 365"

    clock.advance(timedelta(days=340))
    await app.due.run_due()
    assert [r["text"] for r in await rows(app, flags)] == ["", ""]


async def test_reset_returns_to_the_default_and_a_second_reset_changes_nothing(
    say: Say,
) -> None:
    assert (await say("morgan", "/settings set retention_days 90")).ok
    back = await say("morgan", "/settings reset retention_days")
    assert "retention_days is back to the default, 365 in this workspace (was 90)" in back.text
    assert setting(await say("morgan", "/settings"), "retention_days") == (
        "• retention_days: 365 (default)"
    )
    again = await say("morgan", "/settings reset retention_days")
    assert "retention_days is the default already (365); nothing changed." in again.text


async def test_setting_what_is_already_chosen_changes_nothing(say: Say) -> None:
    assert (await say("morgan", "/settings set kudos everyone")).ok
    same = await say("morgan", "/settings set kudos EVERYONE")
    assert same.text == "kudos is already everyone here; nothing changed."


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("/settings set colour blue", "There is no setting 'colour'. The settings are: timezone"),
        ("/settings set timezone Mars/Olympus", "is not a time zone I know"),
        ("/settings set timezone new york", "Did you mean America/New_York?"),
        ("/settings set kudos students", "kudos is either moderators or everyone."),
        ("/settings set kudos_allowance 51", "kudos_allowance is a whole number from 1 to 50."),
        ("/settings set kudos_allowance 0", "kudos_allowance is a whole number from 1 to 50."),
        ("/settings set retention_days 29", "retention_days is a whole number from 30 to 3650."),
        ("/settings set retention_days many", "from 30 to 3650"),
        ("/settings set mentors anyone", "mentors is either appointed or self-service."),
        ("/settings set kudos", "Missing a value for kudos."),
        ("/settings reset colour", "retention_days (a number of days from 30 to 3650)"),
    ],
)
async def test_a_bad_key_or_value_says_what_is_allowed_and_changes_nothing(
    app: App, say: Say, line: str, says: str
) -> None:
    refused = await say("morgan", line)
    assert not refused.ok
    assert says in refused.text
    assert await rows(app, "SELECT * FROM workspace_settings") == []
    shown = await say("morgan", "/settings")
    assert all(setting(shown, key).endswith("(default)") for key in KEYS)


@pytest.mark.parametrize(
    "line", ["/settings", "/settings set kudos everyone", "/settings reset kudos"]
)
async def test_a_member_who_is_not_a_moderator_is_refused_and_shown_nothing(
    app: App, say: Say, line: str
) -> None:
    refused = await say("ada", line)
    assert not refused.ok
    assert refused.text == "Only moderators can see or change this workspace's settings."
    assert await rows(app, "SELECT * FROM workspace_settings") == []


async def test_a_change_is_in_the_audit_trail_and_the_other_moderators_are_told(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/settings set kudos_allowance 3")).ok
    assert (await say("morgan", "/settings reset kudos_allowance")).ok
    audit = (await say("mona", "/audit")).text
    assert "Morgan · reset the workspace's kudos_allowance to the default · 3 -> 5" in audit
    assert "Morgan · set the workspace's kudos_allowance · 5 -> 3" in audit
    told = messenger.texts_to("mona")
    assert any("Morgan set this workspace's kudos_allowance: 3 (was 5)." in t for t in told)
    assert any("reset to the default this workspace's kudos_allowance: 5" in t for t in told)
    assert not any("kudos_allowance" in t for t in messenger.texts_to("morgan"))


async def test_help_lists_the_settings_for_moderators(say: Say) -> None:
    shown = (await say("morgan", "/help settings set")).text
    for key in KEYS:
        assert key in shown


async def test_a_member_s_own_profile_zone_still_wins_over_the_workspace_s(
    clock: ManualClock, messenger: RecordingMessenger
) -> None:
    app = await bootstrap(
        settings_for("sqlite+aiosqlite://", moderators=["console:morgan"]),
        clock,
        {"console": messenger},
    )
    try:
        say = speaker(app)
        assert (await say("morgan", "/settings set timezone Asia/Tokyo")).ok
        assert (await say("ada", "/profile set timezone Europe/London")).ok
        assert "timezone: Europe/London" in (await say("ada", "/profile")).text
    finally:
        await app.close()


async def test_check_ins_open_at_the_circle_s_time_in_each_workspace_s_zone(
    app: App, say: Say, in_w2: Say, clock: ManualClock
) -> None:
    """Ada set no zone of her own: in w1 (America/Chicago, chosen) the 10:30 check-in is at
    16:30 UTC; in w2 (the config's Europe/Berlin) at 09:30 UTC, already past on the first
    Tuesday, so a week later."""
    assert (await say("morgan", "/settings set timezone America/Chicago")).ok
    for speak in (say, in_w2):
        assert (await speak("morgan", "/circle create algebra")).ok
        for key, value in (
            ("cadence", "weekly"),
            ("day", "tue"),
            ("time", "10:30"),
            ("checkin-audience", "everyone"),
        ):
            assert (await speak("morgan", f"/circle set algebra {key} {value}")).ok
        assert (await speak("ada", "/circle join algebra")).ok
    opened = "SELECT workspace_id, scheduled_at FROM checkins ORDER BY id"

    clock.current = START.replace(hour=16, minute=29)
    await app.due.run_due()
    assert await rows(app, opened) == []
    clock.current = START.replace(hour=16, minute=31)
    await app.due.run_due()
    assert [(r["workspace_id"], str(r["scheduled_at"])[:16]) for r in await rows(app, opened)] == [
        ("w1", "2026-03-03 16:30")
    ]
    clock.current = START.replace(hour=9, minute=31) + timedelta(weeks=1)
    await app.due.run_due()
    assert [(r["workspace_id"], str(r["scheduled_at"])[:16]) for r in await rows(app, opened)] == [
        ("w1", "2026-03-03 16:30"),
        ("w2", "2026-03-10 09:30"),
    ]

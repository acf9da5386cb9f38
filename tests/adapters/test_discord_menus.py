"""What a member finds in Discord's command menu: a student never sees the commands only
moderators may use, a moderator finds them next to the student ones (`/circle-admin` by
`/circle`), and the names and options read as a student would guess them (`/findbuddy start`,
`/pause how_long:`, `/checkin concern message:`, `/help command:` offering the commands)."""

from __future__ import annotations

from pathlib import Path

from tests.support import discord_payloads as p
from tests.support.discord_harness import GUILD, DiscordHarness
from tests.support.schools import ADA, INES, synced_school

MODERATORS_ONLY = {
    "audit",
    "blackout",
    "circle-admin",
    "checkin-admin",
    "kudos-admin",
    "settings",
}


async def _menus_after_sync(tmp_path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Ada's (a student's) and Ines's (Manage Server) menus once the commands are installed."""
    async with synced_school(tmp_path) as (fake, _):
        return fake.command_menu(GUILD, ADA), fake.command_menu(GUILD, INES)


async def test_a_students_menu_has_no_command_only_moderators_may_use(tmp_path: Path) -> None:
    student, moderator = await _menus_after_sync(tmp_path)
    assert not MODERATORS_ONLY & set(student)
    assert {"list", "mine", "info", "join", "leave"} <= set(student["circle"])
    assert not {"create", "archive"} & set(student["circle"])
    assert "answers" not in student["checkin"]
    assert "revoke" not in student["kudos"]
    assert {"round", "stats"} <= set(student), "a circle's facilitators use them without rights"
    assert set(moderator) >= MODERATORS_ONLY
    assert moderator["circle-admin"] == ["create", "archive"]
    assert moderator["checkin-admin"] == ["answers"]
    assert moderator["kudos-admin"] == ["revoke"]


async def test_a_moderators_own_root_runs_the_same_command_and_the_core_still_checks(
    discord_bot: DiscordHarness,
) -> None:
    made = await discord_bot.command(INES, "circle-admin", "create", p.option("name", "chess"))
    assert discord_bot.text(made).startswith("Created chess")
    tried = await discord_bot.command(ADA, "circle-admin", "create", p.option("name", "go"))
    assert "moderator" in discord_bot.text(tried).lower()
    listed = await discord_bot.command(ADA, "circle", "list")
    assert "chess" in discord_bot.text(listed)
    assert " go" not in discord_bot.text(listed)


async def test_findbuddy_start_asks_for_a_buddy(discord_bot: DiscordHarness) -> None:
    asked = await discord_bot.command(ADA, "findbuddy", "start")
    assert "queue" in discord_bot.text(asked).lower()


async def test_a_pause_takes_a_date_on_its_own(discord_bot: DiscordHarness) -> None:
    paused = await discord_bot.command(ADA, "pause", None, p.option("how_long", "2026-04-10"))
    assert discord_bot.text(paused).startswith("Paused until")
    assert "10 Apr" in discord_bot.text(paused)
    back = await discord_bot.command(ADA, "pause", None, p.option("how_long", "off"))
    assert discord_bot.text(back).startswith("Welcome back")


async def test_a_concern_is_written_in_its_message(discord_bot: DiscordHarness) -> None:
    """With no check-in open, the words still go to the moderators as a concern."""
    sent = await discord_bot.command(
        ADA, "checkin", "concern", p.option("message", "fine | once | a mentee seems very low")
    )
    assert "privately to the moderators" in discord_bot.text(sent)


async def test_help_offers_the_commands_as_you_type_and_explains_the_one_chosen(
    discord_bot: DiscordHarness,
) -> None:
    async def offered(user: str, typed: str) -> dict[str, str]:
        asked = await discord_bot.fake.send_autocomplete(
            "help", user, options=[p.focused(p.option("command", typed))]
        )
        await discord_bot.answered(asked)
        answer = discord_bot.answer(asked)
        assert answer["type"] == p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
        return {c["value"]: c["name"] for c in answer["choices"]}

    buddies = await offered(ADA, "buddy")
    assert {"findbuddy", "findbuddy cancel", "buddy", "buddy met"} <= set(buddies)
    assert buddies["findbuddy"].startswith("/findbuddy start: find a study buddy")
    assert "circle create" not in await offered(ADA, "")
    assert (await offered(INES, "create"))["circle create"].startswith("/circle-admin create")
    assert "circle create" not in await offered(ADA, "create")
    helped = await discord_bot.command(ADA, "help", None, p.option("command", "findbuddy cancel"))
    assert "leave the buddy queue" in discord_bot.text(helped)

"""Feedback on meetings as members and moderators meet it: whoever says "we met" is invited to
rate the meeting; the rating and its note reach the moderators only (a low one at once), never
the buddy or a channel; a member sees their own ratings only as an average once three different
people gave them; and every bad input is refused with what to do, changing nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.model import Priority
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, speaker
from tests.support.settings import settings_for


async def pair(say: Say, first: str, second: str) -> None:
    """An on-demand pairing of the two (nobody else waits)."""
    assert (await say(first, "/findbuddy")).ok
    reply = await say(second, "/findbuddy")
    assert f"You have a study buddy: {first.capitalize()}" in reply.text, reply.text


async def met(say: Say, first: str, second: str) -> None:
    """Paired, and `first` says they met."""
    await pair(say, first, second)
    assert (await say(first, f"/buddy met @{second}")).ok


async def stored(app: App) -> list[tuple[object, ...]]:
    """Every rating as (rater, rated, score, note), straight from the table."""
    async with app.engine.connect() as connection:
        rows = await connection.execute(
            text(
                """SELECT rater.user_id, rated.user_id, r.score, r.note FROM meeting_ratings r
                JOIN members rater ON rater.id = r.rater_id
                JOIN members rated ON rated.id = r.rated_id ORDER BY r.id"""
            )
        )
        return [tuple(row) for row in rows]


async def outbox_size(app: App) -> int:
    async with app.engine.connect() as connection:
        return (await connection.execute(text("SELECT count(*) FROM outbox"))).scalar_one()


def to(messenger: RecordingMessenger, name: str) -> list[str]:
    return messenger.texts_to(name)


async def test_saying_we_met_invites_a_rating_by_dm_with_five_buttons_that_rate_the_meeting(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    await pair(say, "ada", "ben")
    before = len(messenger.sent)
    reply = await say("ada", "/buddy met @ben")
    assert reply.text == "Great, thanks for telling me!"
    [invitation] = messenger.sent[before:]
    assert invitation.destination.target == "ada"
    assert invitation.text.startswith("How did it go? Rate it from 1 (badly) to 5 (very well)")
    assert "/feedback 4 @ben we worked on fractions" in invitation.text
    assert "Only the moderators see your rating and note; your buddy never does." in (
        invitation.text
    )
    assert [(a.label, a.command) for a in invitation.actions] == [
        (str(n), f"/feedback {n} <@ben>") for n in range(1, 6)
    ]
    pressed = await say("ada", invitation.actions[3].command)
    assert pressed.ok, pressed.text
    assert await stored(app) == [("ada", "ben", 4, "")]
    # Saying it again invites no second time.
    assert (await say("ada", "/buddy met @ben")).ok
    assert len(messenger.sent) == before + 1


async def test_not_yet_and_couldnt_invite_no_rating(
    say: Say, messenger: RecordingMessenger
) -> None:
    await pair(say, "ada", "ben")
    before = len(messenger.sent)
    for answer in ("notyet", "couldnt"):
        reply = await say("ada", f"/buddy {answer} @ben")
        assert "/feedback" not in reply.text
    assert messenger.sent[before:] == []


async def test_a_member_with_one_current_buddy_rates_without_naming_them_and_nobody_is_told(
    app: App, say: Say, messenger: RecordingMessenger
) -> None:
    await met(say, "ada", "ben")
    before = len(messenger.sent)
    reply = await say("ada", "/feedback 5")
    assert reply.ok
    assert reply.text.startswith(
        "Thanks: your rating of 5 of 5 for your meeting with Ben is saved."
    )
    assert "Only the moderators see it; Ben never does" in reply.text
    assert await stored(app) == [("ada", "ben", 5, "")]
    # A good rating with no note only counts: no DM to anyone, Ben least of all.
    assert messenger.sent[before:] == []


async def test_the_buddy_may_rate_too_once_either_of_them_said_they_met(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    assert (await say("ben", "/feedback 3 @ada")).ok
    assert await stored(app) == [("ben", "ada", 3, "")]


async def test_a_second_rating_replaces_the_first_and_says_so(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    assert (await say("ada", "/feedback 3 @ben")).ok
    reply = await say("ada", "/feedback 4 @ben on reflection it went well")
    assert "It replaces your earlier rating of 3 (one per meeting)." in reply.text
    assert await stored(app) == [("ada", "ben", 4, "on reflection it went well")]


async def test_a_changed_rating_reaches_the_moderators_again_and_the_same_one_once(
    say: Say, messenger: RecordingMessenger
) -> None:
    await met(say, "ada", "ben")
    assert (await say("ada", "/feedback 2 @ben")).ok
    assert (await say("ada", "/feedback 1 @ben he asked me to meet him alone")).ok
    assert (await say("ada", "/feedback 1 @ben he asked me to meet him alone")).ok  # again

    to_morgan = messenger.texts_to("morgan")
    assert len(to_morgan) == 2, to_morgan
    assert "Ben 2 of 5" in to_morgan[0]
    assert "Ben 1 of 5" in to_morgan[1]
    assert "he asked me to meet him alone" in to_morgan[1]


async def test_a_note_reaches_the_moderators_only_never_the_buddy_or_a_channel(
    say: Say, messenger: RecordingMessenger
) -> None:
    await met(say, "ada", "ben")
    before = len(messenger.sent)
    assert (await say("ada", "/feedback 4 @ben He explained it well @everyone")).ok
    sent = messenger.sent[before:]
    assert [e.destination.target for e in sent] == ["morgan"]
    [dm] = sent
    assert dm.destination.kind == "dm"
    assert dm.text.startswith(
        "A rating of a meeting (an on-demand pairing), for the moderators only: Ada rated "
        "their meeting with Ben 4 of 5. Their note: He explained it well"
    )
    assert "@everyone" not in dm.text
    assert dm.priority is Priority.ROUTINE


async def test_a_low_rating_reaches_the_moderators_at_once_naming_the_pair_and_circle(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("morgan", "/circle set algebra channel #algebra")).ok
    for name in ("ada", "ben"):
        assert (await say(name, "/circle join algebra")).ok
    assert (await say("morgan", "/round run algebra")).ok
    assert (await say("ada", "/buddy met @ben")).ok
    # 23:00: Morgan's quiet hours, which a low rating does not wait for.
    clock.current = clock.now().replace(hour=23)
    before = len(messenger.sent)
    assert (await say("ada", "/feedback 1 @ben he made fun of me")).ok
    sent = messenger.sent[before:]
    assert [(e.destination.kind, e.destination.target) for e in sent] == [("dm", "morgan")]
    [dm] = sent
    assert dm.priority is Priority.CONCERN
    assert dm.text.startswith(
        "A low rating of a meeting in algebra, for the moderators only: Ada rated their "
        "meeting with Ben 1 of 5. You may want to check in with them. Their note: he made fun "
        "of me"
    )
    assert not any("made fun" in t for t in to(messenger, "ben"))
    assert not any(e.destination.kind == "channel" and "rating" in e.text for e in messenger.sent)


async def test_a_rating_with_a_note_waits_out_the_moderators_quiet_hours(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await met(say, "ada", "ben")
    clock.current = clock.now().replace(hour=23)
    before = len(messenger.sent)
    assert (await say("ada", "/feedback 4 @ben good session")).ok
    assert messenger.sent[before:] == []
    clock.advance(timedelta(hours=9, minutes=1))
    await app.due.run_due()
    assert [e.destination.target for e in messenger.sent[before:]] == ["morgan"]


async def test_my_average_shows_only_once_three_different_people_rated_me(
    say: Say,
) -> None:
    reply = await say("maya", "/feedback mine")
    assert "once 3 different people have rated meetings with you" in reply.text
    assert "3 more people to go" in reply.text
    for n, (name, score) in enumerate((("ada", 5), ("ben", 3))):
        await met(say, name, "maya")
        assert (await say(name, f"/feedback {score} @maya")).ok
        assert (await say("maya", f"/buddy end @{name}")).ok
        if n == 0:
            # The same person again, about another meeting, is not a second person.
            await met(say, "ada", "maya")
            assert (await say("ada", "/feedback 1 @maya")).ok
            assert (await say("maya", "/buddy end @ada")).ok
    reply = await say("maya", "/feedback mine")
    assert "1 more person to go" in reply.text
    assert "Ada" not in reply.text
    assert "Ben" not in reply.text
    assert "3.0" not in reply.text
    await met(say, "cleo", "maya")
    assert (await say("cleo", "/feedback 3 @maya")).ok
    reply = await say("maya", "/feedback mine")
    assert reply.text.startswith(
        "Your meetings are rated 3.0 of 5 on average, by 3 different people."
    )
    assert "Ada" not in reply.text
    assert "Cleo" not in reply.text


async def refused(app: App, say: Say, line: str, *expected: str) -> None:
    """`line` from Ada is refused, saying `expected`, and nothing is stored or queued."""
    before = (await stored(app), await outbox_size(app))
    reply = await say("ada", line)
    assert not reply.ok, reply.text
    for words in expected:
        assert words in reply.text, reply.text
    assert (await stored(app), await outbox_size(app)) == before


async def test_a_rating_of_7_is_refused(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    await refused(app, say, "/feedback 7 @ben", "7 is not a rating", "from 1 (badly) to 5")


async def test_a_rating_of_0_is_refused(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    await refused(app, say, "/feedback 0", "0 is not a rating", "from 1 (badly) to 5")


async def test_a_rating_in_words_is_refused(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    await refused(app, say, "/feedback five @ben", "'five' is not a rating", "4, not four")


async def test_a_rating_for_a_buddy_nobody_said_they_met_is_refused(app: App, say: Say) -> None:
    await pair(say, "ada", "ben")
    await refused(app, say, "/feedback 4 @ben", "You have no meeting with Ben to rate")
    await refused(app, say, "/feedback 4", "no current buddy you met", "/feedback 4 @buddy")


async def test_a_rating_for_someone_never_paired_is_refused(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    assert (await say("cleo", "/circle list")).ok
    await refused(app, say, "/feedback 4 @cleo", "You have no meeting with Cleo to rate")
    await refused(app, say, "/feedback 4 @nobody", "You have no meeting with @nobody to rate")


async def test_a_rating_of_oneself_is_refused(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    await refused(app, say, "/feedback 5 @ada", "You cannot rate yourself")


async def test_a_note_of_2000_characters_is_refused(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    await refused(
        app, say, "/feedback 4 @ben " + "x" * 2000, "The note is 2000 characters; the limit is 500"
    )


async def test_several_current_buddies_must_be_named(app: App, say: Say) -> None:
    assert (await say("morgan", "/circle create algebra")).ok
    for name in ("ada", "ben"):
        assert (await say(name, "/circle join algebra")).ok
    assert (await say("morgan", "/round run algebra")).ok
    assert (await say("ada", "/buddy met @ben")).ok
    await met(say, "ada", "cleo")
    await refused(app, say, "/feedback 4", "several buddies you met", "/feedback 4 @buddy")
    assert (await say("ada", "/feedback 4 @cleo")).ok


async def test_nobody_else_in_another_workspace_can_rate_across(app: App, say: Say) -> None:
    await met(say, "ada", "ben")
    reply = await app.bus.handle_text("/feedback 2 @ben", actor("w2", "Zed"))
    assert not reply.ok
    assert await stored(app) == []


async def test_with_no_moderator_a_low_rating_is_kept_and_the_member_told_to_speak_to_someone(
    clock: ManualClock, messenger: RecordingMessenger
) -> None:
    app = await bootstrap(settings_for("sqlite+aiosqlite://"), clock, {"console": messenger})
    try:
        say = speaker(app)
        await met(say, "ada", "ben")
        reply = await say("ada", "/feedback 1 @ben")
        assert reply.ok
        assert "No moderator is set up in this workspace yet" in reply.text
        assert "speak to a moderator or a trusted adult directly" in reply.text
        assert await stored(app) == [("ada", "ben", 1, "")]
    finally:
        await app.close()

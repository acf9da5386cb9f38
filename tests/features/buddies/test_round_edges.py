"""Rounds that can pair nobody, or not everyone: a circle of one, a circle where every pair is
blocked, a round where every mentor is full. Each person taking part hears why and what to do,
the moderators hear too, nothing fails, and no message names a block."""

from __future__ import annotations

from datetime import timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say


async def weekly_circle(say: Say, name: str, *members: str) -> None:
    """A circle with a weekly round on Wednesdays at 09:00 (START is Tuesday 10:00)."""
    assert (await say("morgan", f"/circle create {name}")).ok
    for setting in ("cadence weekly", "day wed", "time 09:00"):
        assert (await say("morgan", f"/circle set {name} {setting}")).ok
    for member in members:
        assert (await say(member, f"/circle join {name}")).ok


async def test_a_circle_of_one_tells_the_member_and_the_moderators(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await weekly_circle(say, "chess", "ada")
    preview = (await say("morgan", "/round preview chess")).text
    assert "Nobody would be paired." in preview
    assert "Nobody fits: Ada (the only one taking part)" in preview
    assert messenger.sent == []
    clock.advance(timedelta(hours=23))  # Wednesday 09:00
    await app.due.run_due()
    [told] = messenger.texts_to("ada")
    assert "You are the only one taking part in chess this round" in told
    assert "/findbuddy" in told
    [moderators] = messenger.texts_to("morgan")
    assert "The scheduled round of chess: nobody was paired." in moderators
    assert "Nobody fits: Ada (the only one taking part)" in moderators
    await app.due.run_due()  # a second tick tells nobody twice
    assert len(messenger.sent) == 2


async def test_a_block_shows_only_as_no_fit_to_everyone(
    say: Say, messenger: RecordingMessenger
) -> None:
    """Every pair of three is blocked: each is told there was no fit, the words a full round
    uses too, and sent to no particular person; the moderator reads "no fit this round"."""
    await weekly_circle(say, "chess", "ada", "ben", "cleo")
    for who, whom in (("ada", "ben"), ("ada", "cleo"), ("cleo", "ben")):
        assert (await say(who, f"/block @{whom}")).ok
    ran = await say("morgan", "/round run chess")
    assert ran.ok
    assert "nobody could be paired; I've told each of them why" in ran.text
    [fits] = [line for line in ran.text.splitlines() if line.startswith("Nobody fits:")]
    for name in ("Ada", "Ben", "Cleo"):
        assert f"{name} (no fit this round)" in fits
    told = [messenger.texts_to(name) for name in ("ada", "ben", "cleo")]
    assert all(texts == told[0] for texts in told)
    [text] = told[0]
    assert "there was no fit for you among those taking part" in text
    assert "facilitator" not in text
    assert "block" not in (text + ran.text).lower()


async def test_a_round_where_every_mentor_is_full_says_so_to_both_sides(
    say: Say, messenger: RecordingMessenger
) -> None:
    """Maya takes one mentee at a time and has Eli from physics; in maths only Ada is left."""
    assert (await say("maya", "/profile")).ok
    assert (await say("morgan", "/profile set @maya role mentor")).ok
    assert (await say("maya", "/profile set capacity 1")).ok
    for circle in ("physics", "maths"):
        assert (await say("morgan", f"/circle create {circle}")).ok
        assert (await say("maya", f"/circle join {circle} as mentor")).ok
    assert (await say("eli", "/circle join physics")).ok
    assert (await say("ada", "/circle join maths")).ok
    assert (await say("morgan", "/round run physics")).ok
    messenger.sent.clear()
    ran = await say("morgan", "/round run maths")
    assert "Nobody fits: Maya (a mentor with no room for another mentee)" in ran.text
    assert "Ada (every mentor taking part is full)" in ran.text
    [to_ada] = messenger.texts_to("ada")
    assert "every mentor taking part already has as many mentees as they can take" in to_ada
    [to_maya] = messenger.texts_to("maya")
    assert "you already have as many mentees as you can take" in to_maya


async def test_everyone_taking_part_hears_from_the_round(
    say: Say, messenger: RecordingMessenger
) -> None:
    """Six students and Ada has blocked the other five: four are paired, Ada fits nobody and
    the fifth finds everyone who fits them taken. Each of the six hears once what the round
    means for them, and Ada's words are the fifth's."""
    names = ("ada", "ben", "cleo", "dev", "eli", "fay")
    await weekly_circle(say, "chess", *names)
    assert (await say("morgan", "/circle set chess odd sit-out")).ok
    for other in names[1:]:
        assert (await say("ada", f"/block @{other}")).ok
    assert (await say("morgan", "/round run chess")).ok
    heard = {name: messenger.texts_to(name) for name in names}
    assert all(len(texts) == 1 for texts in heard.values()), heard
    said = [texts[0] for texts in heard.values()]
    assert sum("you are with" in t and "Why" in t for t in said) == 4
    no_fit = [t for t in said if "there was no fit for you" in t]
    assert len(no_fit) == 2
    assert heard["ada"] == [no_fit[0]]
    assert no_fit[0] == no_fit[1]  # blocking everyone reads as being left over, word for word

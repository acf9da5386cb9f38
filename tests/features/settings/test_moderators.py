"""/settings appoint and dismiss: a workspace's moderators make someone a moderator of it (a
teacher who is not a Slack or Discord admin), in that workspace alone, audited and told; and
undo it, but never undo what the config or the platform decided."""

from __future__ import annotations

from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say


async def test_an_appointed_teacher_moderates_this_workspace_and_hears_its_concerns(
    say: Say, in_w2: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("tess", "/profile")).ok  # known, not a moderator
    assert not (await say("tess", "/settings")).ok
    appointed = await say("morgan", "/settings appoint @tess")
    assert appointed.ok, appointed.text
    assert "Tess is now a moderator of this workspace" in appointed.text
    assert "Tess" in (await say("morgan", "/settings")).text.split("Moderators:")[1]
    assert (await say("tess", "/settings")).ok
    assert not (await in_w2("tess", "/settings")).ok  # w2 is another workspace
    messenger.sent.clear()
    assert (await say("ada", "/flag I am worried about a message I got")).ok
    assert any("worried about a message" in t for t in messenger.texts_to("tess"))


async def test_a_dismissed_moderator_stops_hearing_concerns_before_they_speak_again(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("tess", "/profile")).ok
    assert (await say("morgan", "/settings appoint @tess")).ok
    dismissed = await say("mona", "/settings dismiss @tess")
    assert dismissed.ok, dismissed.text
    assert "no longer a moderator" in dismissed.text
    messenger.sent.clear()
    assert (await say("ada", "/flag someone keeps messaging me at night")).ok
    assert not any("messaging me at night" in t for t in messenger.texts_to("tess"))
    assert any("messaging me at night" in t for t in messenger.texts_to("morgan"))
    assert not (await say("tess", "/settings")).ok


async def test_someone_appointed_before_they_ever_spoke_is_a_moderator_when_they_do(
    say: Say,
) -> None:
    assert (await say("morgan", "/settings appoint @tess")).ok
    assert (await say("tess", "/settings")).ok


async def test_what_the_config_decided_is_not_undone_in_chat(say: Say) -> None:
    refused = await say("mona", "/settings dismiss @morgan")
    assert "the config file names them" in refused.text
    assert (await say("morgan", "/settings")).ok
    assert "not a moderator" in (await say("morgan", "/settings dismiss @ada")).text
    assert "already" in (await say("morgan", "/settings appoint @mona")).text


async def test_only_moderators_appoint_and_each_appointment_is_audited_and_told(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("tess", "/profile")).ok
    refused = await say("ada", "/settings appoint @ada")
    assert not refused.ok
    assert not (await say("ada", "/settings")).ok
    assert (await say("morgan", "/settings appoint @tess")).ok
    assert (await say("morgan", "/settings dismiss @tess")).ok
    audit = (await say("mona", "/audit")).text
    assert "Morgan · appointed Tess a moderator" in audit
    assert "Morgan · dismissed Tess as a moderator" in audit
    told = messenger.texts_to("mona")
    assert any("appointed Tess a moderator" in t for t in told)
    assert any("dismissed Tess as a moderator" in t for t in told)


async def test_an_erased_member_is_no_longer_appointed(say: Say) -> None:
    assert (await say("tess", "/profile")).ok
    assert (await say("morgan", "/settings appoint @tess")).ok
    erased = await say("tess", "/privacy delete confirm")
    assert erased.ok, erased.text
    assert "not a moderator" in (await say("morgan", "/settings dismiss @tess")).text

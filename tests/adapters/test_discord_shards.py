"""Discord above 2,500 servers: shards. Two servers, one on each of two shards (a server's
events come on shard (server id >> 22) % shard count), served by one process running both
shards or by two processes running one each, against a fake Discord that recommends two shards
and checks every IDENTIFY's shard."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from adapters.bootstrap import bootstrap
from adapters.config import ConfigError
from adapters.discord.connection import IdentifyPacing
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.runtime import DiscordAdapter
from bot.kernel.model import Destination, MemberRef, OutboxEntry, OutboxStatus, WorkspaceRef
from bot.kernel.ports import Failed, Sent
from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord, SentInteraction
from tests.support.discord_harness import CHANNEL, GUILD, DiscordHarness, discord_harness
from tests.support.schools import ADA, OWNER, discord_school
from tests.support.settings import START, settings_for

HILLSIDE, HILLSIDE_CHANNEL = "900000000004194304", "900000000004194404"
HILLSIDE_OWNER, HANA = "100000000000000200", "100000000000000201"
HILLSIDE_MENTORS = "900000000004194504"
SHARD_OF = {HILLSIDE: 0, GUILD: 1}
"""(id >> 22) % 2: Hillside's events come on shard 0, Riverside's (GUILD) on shard 1."""
TWO_SHARDS = {"shard_count": 2, "max_concurrency": 2}
"""What the fake's GET /gateway/bot says: two shards, both may identify at once."""


def _two_schools(fake: FakeDiscord) -> None:
    discord_school(fake)
    fake.add_guild(HILLSIDE, "Hillside", HILLSIDE_OWNER)
    fake.add_channel(HILLSIDE, HILLSIDE_CHANNEL, "general")
    fake.add_member(HILLSIDE, HILLSIDE_OWNER, "hillside owner")
    fake.add_member(HILLSIDE, HANA, "hana")
    fake.add_role(HILLSIDE, HILLSIDE_MENTORS, "Hillside Mentors")


@pytest.fixture
async def sharded(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    """One process, `shards = "auto"`, nothing else configured: the shards Discord says."""
    async with discord_harness(
        tmp_path, START, _two_schools, discord={"shards": "auto"}, fake_options=TWO_SHARDS
    ) as bot:
        yield bot


async def _flag(bot: DiscordHarness, guild: str, user: str, text: str) -> SentInteraction:
    sent = await bot.fake.send_command(
        "flag", user, options=[p.option("text", text)], guild_id=guild
    )
    await bot.answered(sent)
    return sent


def _came_on_shard(fake: FakeDiscord, sent: SentInteraction) -> list[int]:
    return [
        s.shard[0]
        for s in fake.sessions
        if any(d["id"] == sent.id for d in s.dispatched("INTERACTION_CREATE"))
    ]


async def test_one_process_runs_the_shards_discord_recommends_and_serves_both_servers(
    sharded: DiscordHarness,
) -> None:
    fake = sharded.fake
    assert fake.calls_to("get_bot_gateway")
    assert sorted(s.identify["shard"] for s in fake.sessions) == [[0, 2], [1, 2]]
    assert sharded.adapter.describe() == "Discord (shards 0, 1 of 2)"
    for guild, student, owner in ((HILLSIDE, HANA, HILLSIDE_OWNER), (GUILD, ADA, OWNER)):
        sent = await _flag(sharded, guild, student, f"worried in {guild}")
        assert _came_on_shard(fake, sent) == [SHARD_OF[guild]]
        assert "Sent privately to the moderators" in sharded.text(sent)
        [concern] = sharded.dms_to(owner)
        assert f"worried in {guild}" in concern


async def test_a_shard_down_and_resumed_leaves_the_other_shards_server_answered(
    sharded: DiscordHarness,
) -> None:
    fake = sharded.fake
    release = fake.hold_resumes(0)
    await fake.disconnect(shard=0)

    riverside = await sharded.fake.send_command("help", ADA, guild_id=GUILD)
    await sharded.answered(riverside)
    hillside = await sharded.fake.send_command("help", HANA, guild_id=HILLSIDE)
    [down] = [s for s in fake.sessions if s.shard[0] == 0]
    assert not down.connected
    assert "/findbuddy" in sharded.text(riverside)
    assert not fake.callbacks.get(hillside.id)

    release.set()
    resumed = await fake.wait_for_resume(0)
    await sharded.answered(hillside)
    assert "/findbuddy" in sharded.text(hillside)
    assert resumed is down
    assert len(fake.sessions) == 2  # resumed, not identified again


async def test_one_shard_closed_for_good_stops_the_platform_saying_what_to_do(
    sharded: DiscordHarness,
) -> None:
    """A reset token closes every shard; the first shard to hear it ends the whole client,
    as one connection did."""
    await sharded.fake.disconnect(4004, shard=1)
    said = await asyncio.wait_for(sharded.adapter.lost(), timeout=5)
    assert "4004" in said
    assert "Reset Token" in said


@asynccontextmanager
async def _second_process(
    bot: DiscordHarness, database: str, shard_ids: list[int]
) -> AsyncIterator[None]:
    """Another process on the same database and the same (fake) Discord, running `shard_ids`
    of two shards."""
    settings = settings_for(
        database,
        discord={
            "api_base_url": bot.fake.rest_base,
            "gateway_url": str(bot.fake.gateway_url),
            "shards": "auto",
            "shard_count": 2,
            "shard_ids": shard_ids,
        },
    )
    adapter = DiscordAdapter(settings.discord, "token", guild_ready_timeout=0.05)
    app = await bootstrap(settings, bot.clock, {"discord": adapter.messenger})
    adapter.attach(app.bus, app.due, app.seen_events, bot.clock)
    await adapter.start()
    try:
        yield
    finally:
        await adapter.stop()
        await app.close()


async def test_two_processes_each_run_their_shards_and_install_no_commands(
    tmp_path: Path,
) -> None:
    """Riverside's process runs shard 1, Hillside's shard 0. A button in a DM about Riverside
    comes on shard 0 (as every DM's events), to Hillside's process, which answers it from what
    the button says."""
    async with discord_harness(
        tmp_path,
        START,
        _two_schools,
        discord={"shards": "auto", "shard_count": 2, "shard_ids": [1]},
        fake_options={"shard_count": 2},
    ) as riverside_process:
        fake = riverside_process.fake
        database = f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}"  # the harness's
        async with _second_process(riverside_process, database, [0]):
            assert sorted(s.identify["shard"] for s in fake.sessions) == [[0, 2], [1, 2]]
            assert riverside_process.adapter.describe() == "Discord (shards 1 of 2)"
            sent = await _flag(riverside_process, GUILD, ADA, "worried at Riverside")
            assert "Sent privately" in riverside_process.text(sent)
            hillside = await fake.send_command("help", HANA, guild_id=HILLSIDE)
            await fake.wait_for_callback(hillside.id)
            pressed = await fake.send_component(f"run:{GUILD}:/help", ADA, in_dm=True)
            await fake.wait_for_callback(pressed.id)
        assert _came_on_shard(fake, pressed) == [0]  # a DM's events come on shard 0
        assert "/findbuddy" in riverside_process.text(pressed)
        assert "/findbuddy" in riverside_process.text(hillside)
        assert "worried at Riverside" in riverside_process.dms_to(OWNER)[0]
        assert [c for c in fake.calls if "commands" in c.path and c.method != "GET"] == []


def _entry(destination: Destination, text: str) -> OutboxEntry:
    return OutboxEntry(
        1, f"test:{destination.target}", destination, text, OutboxStatus.SENDING, 1, START, START
    )


async def test_a_process_posts_to_a_server_whose_shard_another_process_runs(
    tmp_path: Path,
) -> None:
    """The outbox gives a message to whichever process claims it: the Riverside process (shard
    1) posts in Hillside's channel and names Hillside's role in a DM, with Hillside on shard 0
    of the other process, never in its own cache; a channel of another server is refused."""
    async with discord_harness(
        tmp_path,
        START,
        _two_schools,
        discord={"shards": "auto", "shard_count": 2, "shard_ids": [1]},
        fake_options={"shard_count": 2},
    ) as riverside_process:
        fake = riverside_process.fake
        messenger: DiscordMessenger = riverside_process.adapter.messenger
        hillside = WorkspaceRef("discord", HILLSIDE)
        assert riverside_process.adapter.client.get_guild(int(HILLSIDE)) is None

        posted = await messenger.send(
            _entry(Destination.channel(hillside, "#general"), "Kudos to Hana!")
        )
        dm = await messenger.send(
            _entry(
                Destination.dm(MemberRef("discord", HILLSIDE, HANA)),
                f"Ask <@&{HILLSIDE_MENTORS}> for help",
            )
        )
        elsewhere = await messenger.send(
            _entry(Destination.channel(hillside, f"<#{CHANNEL}>"), "not for Riverside")
        )

        assert (posted, dm) == (Sent(), Sent())
        assert [m.content for m in fake.messages[HILLSIDE_CHANNEL]] == ["Kudos to Hana!"]
        assert riverside_process.dms_to(HANA) == ["Ask @Hillside Mentors for help"]
        assert isinstance(elsewhere, Failed)
        assert fake.messages.get(CHANNEL, []) == []
        assert len(fake.calls_to("get_all_guild_channels")) == 1  # kept for the next sends


@pytest.mark.parametrize(
    ("discord", "message"),
    [
        (
            {"shards": "auto", "shard_count": 2, "shard_ids": [1, 2]},
            "[discord] shard_ids: 2 is not a shard of shard_count = 2: shard ids run from 0 to 1",
        ),
        (
            {"shards": "auto", "shard_ids": [0]},
            "[discord] shard_ids: shard_ids needs shard_count: every process must be told the "
            "same total",
        ),
        (
            {"shard_count": 2},
            '[discord] shard_count: shard_count = 2 needs shards = "auto" in [discord]',
        ),
        (
            {"shards": "auto", "shard_count": 2, "shard_ids": [0, 0]},
            "[discord] shard_ids: [0, 0] names a shard twice",
        ),
    ],
)
def test_shards_that_cannot_be_are_refused_saying_why(
    discord: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        settings_for("sqlite+aiosqlite:///unused.db", discord=discord)
    assert message in str(refused.value)


def test_shards_configured_for_several_processes_are_what_the_client_is_told() -> None:
    discord = {"shards": "auto", "shard_count": 4, "shard_ids": [3, 2]}
    config = settings_for("sqlite+aiosqlite:///unused.db", discord=discord).discord
    assert config.shard_options() == {"shard_count": 4, "shard_ids": [2, 3]}
    one = settings_for("sqlite+aiosqlite:///unused.db").discord
    assert one.shard_options() == {}


class _Waits:
    """A clock the pacing reads and the sleeps it asks for, which move the clock on."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_shards_identify_five_seconds_apart_within_a_bucket_at_once_across() -> None:
    """Discord's max_concurrency 2: shards 0 and 1 are in different buckets, shard 2 shares
    shard 0's; with max_concurrency 1 every shard waits for the one before."""
    two = _Waits()
    pacing = IdentifyPacing(2, now=lambda: two.now, sleep=two.sleep)
    for shard in (0, 1, 2):
        await pacing.wait_turn(shard)
    assert two.slept == [5.0]

    one = _Waits()
    pacing = IdentifyPacing(1, now=lambda: one.now, sleep=one.sleep)
    for shard in (0, 1, 2):
        await pacing.wait_turn(shard)
    assert one.slept == [5.0, 5.0]

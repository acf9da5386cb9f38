"""The fake Discord itself, driven by the real discord.py 2.7.1: login and gateway, slash
commands through a CommandTree, Discord's refusals (second and late responses, closed DMs),
command sync, persistent buttons, modals, followups and rate limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord, pointed_at, running

GUILD = "900000000000000001"
GENERAL = "900000000000000010"
OWNER = "900000000000000100"
ADA = "900000000000000101"
BEN = "900000000000000102"
MODS = "900000000000000200"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as discord_fake:
        discord_fake.add_guild(GUILD, "Algebra Circle", OWNER)
        discord_fake.add_channel(GUILD, GENERAL, "general")
        discord_fake.add_role(GUILD, MODS, "moderators", permissions=p.MANAGE_GUILD)
        discord_fake.add_member(GUILD, OWNER, "olga")
        discord_fake.add_member(GUILD, ADA, "ada")
        discord_fake.add_member(GUILD, BEN, "ben", roles=[MODS])
        with pointed_at(discord_fake):
            yield discord_fake


def new_client(intents: discord.Intents | None = None) -> discord.Client:
    return discord.Client(
        intents=intents or discord.Intents.none() | discord.Intents(guilds=True),
        guild_ready_timeout=0.05,
    )


class Errors:
    """Collects what discord.py hands to a tree's, a view's or a modal's on_error."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[BaseException] = asyncio.Queue()

    def put(self, error: BaseException) -> None:
        self.queue.put_nowait(getattr(error, "original", error))

    async def next(self) -> BaseException:
        async with asyncio.timeout(5):
            return await self.queue.get()


def tree_with_errors(client: discord.Client) -> tuple[app_commands.CommandTree, Errors]:
    tree = app_commands.CommandTree(client)
    errors = Errors()

    @tree.error
    async def on_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        errors.put(error)

    return tree, errors


async def test_client_logs_in_becomes_ready_and_sees_the_guild(fake: FakeDiscord) -> None:
    client = new_client()

    async with running(client):
        session = await fake.wait_for_ready()
        guild = client.get_guild(int(GUILD))
        assert guild is not None
        assert guild.name == "Algebra Circle"
        assert guild.get_channel(int(GENERAL)) is not None
        assert client.user is not None
        assert client.user.name == "circles"
        assert client.application_id == int(fake.application_id)

    assert session.intents == discord.Intents(guilds=True).value
    assert session.shard == (0, 1)
    assert [c.route for c in fake.calls[:2]] == ["get_current_user", "application_info"]
    assert session.dispatched("GUILD_CREATE")[0]["id"] == GUILD


async def test_members_intent_gets_members_and_role_permissions(fake: FakeDiscord) -> None:
    client = new_client(discord.Intents(guilds=True, members=True))

    async with running(client):
        guild = client.get_guild(int(GUILD))
        assert guild is not None
        ben = guild.get_member(int(BEN))
        ada = guild.get_member(int(ADA))
        assert ben is not None
        assert ada is not None
        assert ben.guild_permissions.manage_guild
        assert not ada.guild_permissions.manage_guild
        assert guild.owner_id == int(OWNER)


async def test_without_members_intent_only_the_bot_is_cached(fake: FakeDiscord) -> None:
    client = new_client()

    async with running(client):
        guild = client.get_guild(int(GUILD))
        assert guild is not None
        assert guild.get_member(int(ADA)) is None
        assert guild.me is not None
        assert guild.member_count == 4


async def test_bad_token_fails_login() -> None:
    async with FakeDiscord(token="right") as strict:
        with pointed_at(strict):
            client = new_client()
            with pytest.raises(discord.LoginFailure):
                async with running(client, token="wrong"):
                    pass
    assert strict.calls[0].status == 401


async def test_slash_command_answers_ephemeral_pong(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)

    @tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    async with running(client):
        sent = await fake.send_command("ping", ADA)
        callback = await fake.wait_for_callback(sent.id)

    assert callback.accepted
    assert callback.type == p.CHANNEL_MESSAGE_WITH_SOURCE
    assert callback.flags == p.EPHEMERAL
    assert callback.content == "pong"
    assert callback.with_response
    original = fake.original(sent.id)
    assert original is not None
    assert original["interaction_metadata"]["user"]["id"] == ADA


async def test_subcommand_group_with_user_option_and_permissions(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)
    seen: asyncio.Future[tuple[discord.Member, bool]] = asyncio.get_running_loop().create_future()
    circle = app_commands.Group(name="circle", description="Circles")
    admin = app_commands.Group(name="admin", description="Admin", parent=circle)

    @admin.command(name="pair", description="Pair")
    async def pair(interaction: discord.Interaction, member: discord.Member) -> None:
        assert isinstance(interaction.user, discord.Member)
        seen.set_result((member, interaction.user.guild_permissions.manage_guild))
        await interaction.response.send_message("paired")

    tree.add_command(circle)

    async with running(client):
        options = [p.subcommand_group("admin", p.subcommand("pair", p.user_option("member", ADA)))]
        sent = await fake.send_command("circle", BEN, options=options)
        member, can_manage = await asyncio.wait_for(seen, 5)
        await fake.wait_for_callback(sent.id)

    assert member.id == int(ADA)
    assert member.name == "ada"
    assert can_manage
    assert sent.payload["member"]["permissions"] == str(fake.permissions_of(GUILD, BEN))


async def test_second_response_is_refused_with_40060(fake: FakeDiscord) -> None:
    client = new_client()
    tree, errors = tree_with_errors(client)

    @tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    async with running(client):
        sent = await fake.send_command("ping", ADA)
        assert (await fake.wait_for_callback(sent.id)).accepted
        await fake.redeliver(sent.id)
        second = await fake.wait_for_callback(sent.id, count=2)
        error = await errors.next()

    assert second.status == 400
    assert second.error_code == 40060
    assert isinstance(error, discord.HTTPException)
    assert error.code == 40060


async def test_late_response_gets_10062(fake: FakeDiscord) -> None:
    client = new_client()
    tree, errors = tree_with_errors(client)
    gate = asyncio.Event()

    @tree.command(name="slow", description="Slow")
    async def slow(interaction: discord.Interaction) -> None:
        await gate.wait()
        await interaction.response.send_message("too late")

    async with running(client):
        sent = await fake.send_command("slow", ADA)
        fake.advance(3.1)
        gate.set()
        callback = await fake.wait_for_callback(sent.id)
        error = await errors.next()

    assert callback.status == 404
    assert callback.error_code == 10062
    assert isinstance(error, discord.NotFound)
    assert error.code == 10062


async def test_dm_to_a_user_with_closed_dms_is_forbidden(fake: FakeDiscord) -> None:
    fake.close_dms(ADA)
    client = new_client()

    async with running(client):
        ada = await client.fetch_user(int(ADA))
        with pytest.raises(discord.Forbidden) as raised:
            await ada.send("hello")
        ben = await client.fetch_user(int(BEN))
        await ben.send("hello ben")
        (dm,) = await fake.wait_for_dm(BEN)

    assert raised.value.code == 50007
    assert raised.value.status == 403
    assert dm.content == "hello ben"
    assert [c.route for c in fake.calls if c.status == 403] == ["send_message"]


async def test_tree_sync_records_guild_commands(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)
    guild = discord.Object(int(GUILD))

    @tree.command(name="findbuddy", description="Find a study buddy")
    @app_commands.describe(topic="What to study")
    async def findbuddy(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(f"looking for {topic}")

    tree.copy_global_to(guild=guild)
    async with running(client):
        synced = await tree.sync(guild=guild)
        sent = await fake.send_command("findbuddy", ADA, options=[p.option("topic", "algebra")])
        callback = await fake.wait_for_callback(sent.id)

    assert [c.name for c in synced] == ["findbuddy"]
    (stored,) = fake.commands[GUILD]
    assert stored["name"] == "findbuddy"
    assert stored["options"][0]["name"] == "topic"
    assert int(stored["id"]) == synced[0].id
    assert sent.payload["data"]["guild_id"] == GUILD
    assert callback.content == "looking for algebra"


async def test_bad_command_names_are_refused(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)

    @tree.command(name="ok", description="fine")
    async def ok(interaction: discord.Interaction) -> None:
        pass

    async with running(client):
        payload = [{"name": "Bad Name", "description": "x", "type": 1}]
        with pytest.raises(discord.HTTPException) as raised:
            await client.http.bulk_upsert_global_commands(fake.application_id, payload)

    assert raised.value.code == 50035
    assert fake.commands == {}


async def test_persistent_button_receives_a_component_interaction(fake: FakeDiscord) -> None:
    client = new_client()

    class Join(discord.ui.View):
        def __init__(self) -> None:
            super().__init__(timeout=None)

        @discord.ui.button(label="Join", custom_id="circles:join")
        async def join(
            self, interaction: discord.Interaction, button: discord.ui.Button[Join]
        ) -> None:
            await interaction.response.send_message("joined", ephemeral=True)

    async with running(client):
        client.add_view(Join())
        channel = client.get_channel(int(GENERAL))
        assert isinstance(channel, discord.TextChannel)
        await channel.send("Join the circle?", view=Join())
        (posted,) = await fake.wait_for_message(GENERAL)
        sent = await fake.send_component("circles:join", ADA)
        callback = await fake.wait_for_callback(sent.id)

    assert posted.components[0]["components"][0]["custom_id"] == "circles:join"
    assert sent.payload["message"]["id"] == posted.id
    assert callback.content == "joined"
    assert callback.ephemeral


async def test_button_on_a_message_from_before_a_restart(fake: FakeDiscord) -> None:
    client = new_client()
    clicked = asyncio.Event()

    class Join(discord.ui.View):
        def __init__(self) -> None:
            super().__init__(timeout=None)

        @discord.ui.button(label="Join", custom_id="circles:join")
        async def join(
            self, interaction: discord.Interaction, button: discord.ui.Button[Join]
        ) -> None:
            clicked.set()
            await interaction.response.edit_message(content="Ada joined", view=None)

    async with running(client):
        client.add_view(Join())
        sent = await fake.send_component("circles:join", ADA)
        callback = await fake.wait_for_callback(sent.id)

    assert clicked.is_set()
    assert callback.type == p.UPDATE_MESSAGE
    updated = fake.message(sent.payload["message"]["id"])
    assert updated["content"] == "Ada joined"
    assert updated["components"] == []


async def test_modal_submit_reaches_on_submit(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)
    submitted: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    class Profile(discord.ui.Modal, title="Your profile"):
        bio: discord.ui.TextInput[Profile] = discord.ui.TextInput(label="Bio", custom_id="bio")

        async def on_submit(self, interaction: discord.Interaction) -> None:
            submitted.set_result(self.bio.value)
            await interaction.response.send_message("saved", ephemeral=True)

    @tree.command(name="profile", description="Edit your profile")
    async def profile(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Profile(custom_id="profile"))

    async with running(client):
        opened = await fake.send_command("profile", ADA)
        modal = await fake.wait_for_callback(opened.id)
        with pytest.raises(ValueError, match="required"):
            await fake.send_modal_submit("profile", ADA, {})
        sent = await fake.send_modal_submit("profile", ADA, {"bio": "I like proofs"})
        bio = await asyncio.wait_for(submitted, 5)
        callback = await fake.wait_for_callback(sent.id)

    assert modal.type == p.MODAL
    assert modal.data is not None
    assert modal.data["title"] == "Your profile"
    assert sent.payload["data"]["components"][0]["type"] == 1
    assert bio == "I like proofs"
    assert callback.content == "saved"


async def test_defer_then_followup_and_edit_original(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)

    @tree.command(name="match", description="Match")
    async def match(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("found Ben", ephemeral=True)
        await interaction.followup.send("and Maya", ephemeral=True)
        await interaction.edit_original_response(content="found Ben (edited)")

    async with running(client):
        sent = await fake.send_command("match", ADA)
        deferred = await fake.wait_for_callback(sent.id)
        first, second = await fake.wait_for_followup(sent.id, count=2)
        await fake.wait_for("edit_webhook_message")

    assert deferred.type == p.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    original = fake.original(sent.id)
    assert original is not None
    assert first.id == original["id"]
    assert second.id != original["id"]
    assert original["content"] == "found Ben (edited)"
    assert original["flags"] == p.EPHEMERAL
    assert [e.interaction_id for e in fake.edits] == [sent.id]


async def test_followup_before_any_response_is_unknown_webhook(fake: FakeDiscord) -> None:
    client = new_client()
    tree, errors = tree_with_errors(client)

    @tree.command(name="rude", description="Rude")
    async def rude(interaction: discord.Interaction) -> None:
        await interaction.followup.send("no ack first")

    async with running(client):
        await fake.send_command("rude", ADA)
        error = await errors.next()

    assert isinstance(error, discord.NotFound)
    assert error.code == 10015


async def test_autocomplete_gets_choices(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)

    @tree.command(name="join", description="Join a circle")
    async def join(interaction: discord.Interaction, circle: str) -> None:
        await interaction.response.send_message(circle)

    @join.autocomplete("circle")
    async def circles(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = ["algebra", "analysis", "geometry"]
        return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

    async with running(client):
        sent = await fake.send_autocomplete(
            "join", ADA, options=[p.focused(p.option("circle", "a"))]
        )
        callback = await fake.wait_for_callback(sent.id)

    assert callback.type == p.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert callback.data is not None
    assert [c["value"] for c in callback.data["choices"]] == ["algebra", "analysis"]


async def test_rate_limit_is_retried_after_retry_after(fake: FakeDiscord) -> None:
    client = new_client()
    fake.fail_next("send_message", 429, retry_after=0.05)

    async with running(client):
        channel = client.get_channel(int(GENERAL))
        assert isinstance(channel, discord.TextChannel)
        await channel.send("hello")

    limited, sent = fake.calls_to("send_message")
    assert limited.status == 429
    assert limited.answer["retry_after"] == 0.05
    assert limited.headers.get("Authorization") == "Bot token"
    assert sent.status == 200
    assert [m.content for m in fake.messages[GENERAL]] == ["hello"]


async def test_enforced_nonce_returns_the_first_message(fake: FakeDiscord) -> None:
    client = new_client()

    async with running(client):
        channel = client.get_channel(int(GENERAL))
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("weekly check-in", nonce="checkin-42")
        again = await channel.send("weekly check-in", nonce="checkin-42")

    assert first.id == again.id
    assert len(fake.messages[GENERAL]) == 1
    assert fake.messages[GENERAL][0].enforce_nonce


async def test_json_is_served_as_exactly_application_json(fake: FakeDiscord) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{fake.rest_base}/users/@me", headers={"Authorization": "Bot x"}) as answer,
    ):
        assert answer.headers["Content-Type"] == "application/json"
        assert (await answer.json())["username"] == "circles"


async def test_gateway_resume_replays_missed_interactions(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)

    @tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    async with running(client):
        session = await fake.wait_for_ready()
        await fake.disconnect(4000)
        sent = await fake.send_command("ping", ADA)
        callback = await fake.wait_for_callback(sent.id)

    assert callback.accepted
    assert session.resumes == 1
    assert fake.gateway_connections == 2


async def test_modal_with_labels_is_submitted_in_its_layout(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)
    submitted: asyncio.Future[tuple[str, list[str]]] = asyncio.get_running_loop().create_future()

    class CheckIn(discord.ui.Modal, title="Weekly check-in"):
        notes: discord.ui.Label[CheckIn] = discord.ui.Label(
            text="Notes", component=discord.ui.TextInput(custom_id="notes")
        )
        mood: discord.ui.Label[CheckIn] = discord.ui.Label(
            text="Mood",
            component=discord.ui.Select(
                custom_id="mood",
                options=[discord.SelectOption(label=m) for m in ("good", "meh")],
            ),
        )

        async def on_submit(self, interaction: discord.Interaction) -> None:
            assert isinstance(self.notes.component, discord.ui.TextInput)
            assert isinstance(self.mood.component, discord.ui.Select)
            submitted.set_result((self.notes.component.value, self.mood.component.values))
            await interaction.response.defer()

    @tree.command(name="checkin", description="Check in")
    async def checkin(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(CheckIn(custom_id="checkin"))

    async with running(client):
        opened = await fake.send_command("checkin", ADA)
        await fake.wait_for_callback(opened.id)
        with pytest.raises(ValueError, match="no input"):
            await fake.send_modal_submit("checkin", ADA, {"notes": "x", "mood": "good", "x": ""})
        sent = await fake.send_modal_submit("checkin", ADA, {"notes": "read ch. 3", "mood": "good"})
        notes, mood = await asyncio.wait_for(submitted, 5)
        assert (await fake.wait_for_callback(sent.id)).type == p.DEFERRED_UPDATE_MESSAGE

    assert [c["type"] for c in sent.payload["data"]["components"]] == [p.LABEL, p.LABEL]
    assert notes == "read ch. 3"
    assert mood == ["good"]


async def test_command_in_the_bots_dm(fake: FakeDiscord) -> None:
    client = new_client()
    tree, _ = tree_with_errors(client)
    seen: asyncio.Future[discord.Interaction] = asyncio.get_running_loop().create_future()

    @tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        seen.set_result(interaction)
        await interaction.response.send_message("pong")

    async with running(client):
        sent = await fake.send_command("ping", ADA, in_dm=True)
        interaction = await asyncio.wait_for(seen, 5)
        await fake.wait_for_callback(sent.id)

    assert interaction.guild is None
    assert not isinstance(interaction.user, discord.Member)
    assert interaction.user.id == int(ADA)
    assert isinstance(interaction.channel, discord.DMChannel)
    assert sent.payload["context"] == p.CONTEXT_BOT_DM


async def test_user_dm_reaches_on_message_with_the_dm_intent(fake: FakeDiscord) -> None:
    client = new_client(discord.Intents(guilds=True, dm_messages=True))
    received: asyncio.Future[discord.Message] = asyncio.get_running_loop().create_future()

    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.author.id == int(ADA):
            received.set_result(message)

    async with running(client):
        await fake.send_user_message(fake.dm_channel_id(ADA), ADA, "can I switch circles?")
        message = await asyncio.wait_for(received, 5)

    assert message.content == "can I switch circles?"
    assert isinstance(message.channel, discord.DMChannel)


async def test_privileged_intent_not_enabled_stops_the_client() -> None:
    async with FakeDiscord(privileged_intents=0) as strict:
        strict.add_guild(GUILD, "Algebra Circle", OWNER)
        with pointed_at(strict):
            client = new_client(discord.Intents(guilds=True, members=True))
            with pytest.raises(discord.PrivilegedIntentsRequired):
                async with running(client):
                    pass


async def test_auto_sharded_client_asks_for_the_bot_gateway(fake: FakeDiscord) -> None:
    client = discord.AutoShardedClient(
        intents=discord.Intents(guilds=True), guild_ready_timeout=0.05
    )

    async with running(client):
        assert client.get_guild(int(GUILD)) is not None

    assert len(fake.calls_to("get_bot_gateway")) == 1
    assert fake.sessions[0].shard == (0, 1)


async def test_pointed_at_sets_and_restores_discord_py() -> None:
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as other:
        with pointed_at(other):
            assert other.rest_base == Route.BASE
            assert other.gateway_url == DiscordWebSocket.DEFAULT_GATEWAY
            assert Route("GET", "/users/@me").url.startswith("http://127.0.0.1:")
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)

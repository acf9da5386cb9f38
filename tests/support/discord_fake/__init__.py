"""A fake Discord on 127.0.0.1 for the Discord adapter's tests: REST API, webhooks, gateway.

`FakeDiscord` serves, on a free port of 127.0.0.1 and with no network, what discord.py 2.7.1
talks to. Point discord.py at it with `pointed_at(fake)`, which sets the two class attributes
discord.py reads (`discord.http.Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`) and restores
them afterwards; `running(client)` logs a client in, connects it and waits until it is ready.

- REST under `/api/v10` (`rest_base`): login (`GET /users/@me`, `GET /oauth2/applications/@me`),
  `GET /gateway[/bot]`, DM channels, channel messages (nonce de-duplication with
  `enforce_nonce`), users, members, command registration, interaction callbacks (the 3 s
  deadline and the single initial response enforced), followups and `@original` edits.
  Multipart uploads are read whole: their files are kept with their bytes (`Upload`) on the
  call, the callback and the message they came with; more than 10 files is refused (50035),
  and so are files adding up to more than `attachment_size_limit` (413, 40005), the limit
  every interaction carries.
  Errors are Discord-shaped (`{"code", "message"}`) with Discord's statuses; `fail_next`
  queues faults per route (429 with what discord.py needs to retry at once).
- Shards: `FakeDiscord(shard_count=2, max_concurrency=...)` is what GET /gateway/bot says;
  IDENTIFY must carry `[i, shard_count]` (else 4010); a guild's events come only on shard
  (guild id >> 22) % shard_count, a DM's on shard 0. `disconnect(shard=i)` drops one shard,
  `hold_resumes(i)` keeps it down until the event it returns is set, `wait_for_resume(i)`.
- The gateway (`gateway_url`): HELLO, IDENTIFY (token, intents, shard checked), READY,
  GUILD_CREATE per guild of the shard (members only with the GUILD_MEMBERS intent, as Discord),
  heartbeat ACKs, member chunk requests, RESUME (missed events replayed) and the test's
  `send_command` / `send_component` / `send_modal_submit` / `send_autocomplete` (built with
  `discord_payloads`), or `send_interaction(payload)` for a hand-made one.
- The registry: `add_guild`, `add_role`, `add_channel`, `add_member` (permissions come through
  roles; owners and administrators have all), `add_user`, `close_dms`; `command_menu`, what a
  member's command menu shows of the registered commands (`default_member_permissions`).

Everything is recorded (`calls`, `messages`, `callbacks`, `followups`, `edits`, `commands`,
`sessions`) and awaited with `wait_for_*` (asyncio.Condition; an AssertionError listing what
did arrive on timeout). Interaction deadlines use the fake's own clock: `now()`, moved on by
`advance(seconds)` without sleeping.

Route names (for `fail_next`, `calls_to`, `wait_for`) follow discord.py's HTTP methods: see
`ROUTE_NAMES`.

One module per section of the fake, each a mixin over the state in `state.py`, put together in
`fake.py`:

| module | section |
|---|---|
| `records.py` | what the fake records, as the tests read it (`Call`, `SentMessage`...) |
| `limits.py` | Discord's ids, deadlines and sizes |
| `state.py` | the state, the fake's clock and addresses, the registry's payloads |
| `registry.py` | guilds, roles, channels, users and members a test adds |
| `recording.py` | `calls_to` and `wait_for_*` |
| `faults.py` | `fail_next`, 429s as Discord's rate limits, rate-limit headers, `limit_messages` |
| `bucket.py` | the global limit on messages `limit_messages` keeps |
| `gateway.py` | connections, sessions, dispatch |
| `interaction_parts.py`, `interactions.py` | what an interaction is made of; sending one |
| `routes.py`, `rest.py` | the REST routes; finding one, checking, answering, recording |
| `rest_messages.py` | identity, users, channels, members, channel messages |
| `rest_commands.py` | application command registration |
| `rest_callbacks.py` | interaction callbacks, followups, `@original` |
| `message_bodies.py`, `refusals.py` | message bodies as Discord checks and edits them; refusals |
| `pointing.py` | `pointed_at`, `running` |
"""

from tests.support.discord_fake.fake import FakeDiscord
from tests.support.discord_fake.limits import (
    APPLICATION_ID,
    BOT_USERNAME,
    INITIAL_RESPONSE_DEADLINE,
    OWNER_ID,
    TOKEN_LIFETIME,
)
from tests.support.discord_fake.pointing import pointed_at, running
from tests.support.discord_fake.records import (
    Call,
    Callback,
    Edit,
    GatewaySession,
    SentInteraction,
    SentMessage,
    Upload,
)
from tests.support.discord_fake.refusals import DiscordError
from tests.support.discord_fake.routes import ROUTE_NAMES

__all__ = [
    "APPLICATION_ID",
    "BOT_USERNAME",
    "INITIAL_RESPONSE_DEADLINE",
    "OWNER_ID",
    "ROUTE_NAMES",
    "TOKEN_LIFETIME",
    "Call",
    "Callback",
    "DiscordError",
    "Edit",
    "FakeDiscord",
    "GatewaySession",
    "SentInteraction",
    "SentMessage",
    "Upload",
    "pointed_at",
    "running",
]

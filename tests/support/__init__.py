"""What the tests use and are not tests: fakes, payload builders, harnesses and shared helpers.
Test folders hold only test files and the conftest.py of their fixtures; everything they share
is here.

- Fakes: `fakes.py` (a recording platform, an in-memory outbox store), `slack_fake.py` and
  `discord_fake/` (Slack and Discord served on 127.0.0.1), `fake_chat.py` (a rate-limited chat
  API for the delivery tests and the fan-out bench).
- Payload builders: `slack_payloads.py`, `discord_payloads.py` (what each platform sends a bot).
- Harnesses: `slack_harness.py`, `discord_harness.py` (the real adapters against the fakes),
  `bot_process.py`, `worker_process.py` and `outbox_worker.py` (bot processes of their own).
- Shared helpers: `settings.py` (the tests' moment and settings), `scenes.py` (members typing
  to the real bootstrap, a school's app, a mentoring circle), `schools.py` (who the adapter tests
  meet on Slack and Discord), `databases.py` (throwaway PostgreSQL databases), `seeding.py` (a
  period's prompts at scale), `virtual_time.py` (an event loop whose clock jumps),
  `local_server.py` (how each fake serves on 127.0.0.1), and for the storage tests
  `storage_people.py`, `as_added.py` and `old_schema.py`.
"""

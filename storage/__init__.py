"""SQLModel storage for the core's ports: SQLite by default, PostgreSQL for several instances.

One package per feature, as in bot/ (members, circles, buddies, checkins, flags, kudos,
moderation, outbox, privacy, stats): its tables (`tables.py`), the mapping between its rows and
the core's objects (`mapping.py`) and one module per port it implements. `storage.schema`
gathers every table; `storage.unit_of_work` puts the repositories on one transaction."""

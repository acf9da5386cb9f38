"""SQLModel storage for the core's ports: SQLite by default, PostgreSQL for several instances."""

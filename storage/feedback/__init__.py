"""The ratings of meetings (feedback): the table, its mapping and repository, and what privacy
and stats read of it."""

"""Everything that knows a chat platform, a clock library or the command line."""

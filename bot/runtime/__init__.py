"""The runtime: the bus, command lookup and parsing, the outbox dispatcher, due work and
unreachable members. It imports the kernel, never a feature."""

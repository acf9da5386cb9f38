"""The buddies feature."""

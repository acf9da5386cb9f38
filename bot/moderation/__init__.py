"""The moderation feature."""

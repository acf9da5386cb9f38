"""The kudos feature."""

"""Kudos: recognition from one member to another."""

"""The circles feature."""

"""Discord: slash commands, buttons, modals and DMs, on discord.py."""

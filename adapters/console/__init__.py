"""The terminal adapter: type commands as anyone, watch what the bot sends, move time forward."""

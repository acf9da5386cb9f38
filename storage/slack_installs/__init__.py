"""The tables of Slack's "Add to Slack": which workspaces installed the app, with what tokens
(encrypted by the adapter before they get here), and the OAuth states of installs under way."""

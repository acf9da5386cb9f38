"""Slack: slash commands, buttons, modals and the App Home, on slack-bolt's AsyncApp."""

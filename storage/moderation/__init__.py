"""What the moderators keep: workspace holidays (blackouts) and the audit trail of their
actions."""

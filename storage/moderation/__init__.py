"""What the moderators keep: concerns raised (flags), workspace holidays (blackouts) and the
audit trail of their actions."""

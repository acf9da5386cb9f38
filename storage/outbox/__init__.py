"""The outbox: messages queued with the change that caused them, and the dispatcher's side."""

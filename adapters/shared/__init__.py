"""What every chat platform's adapter does the same way, written once: tracking the work taken
after an acknowledgement, answering within the platform's deadline, and meeting the people a
command mentions."""

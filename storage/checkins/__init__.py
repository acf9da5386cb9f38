"""Check-ins and the record of which periods were digested."""

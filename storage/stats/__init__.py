"""The raw facts behind /stats; stats have no table of their own."""

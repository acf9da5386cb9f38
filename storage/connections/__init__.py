"""Storage of reflections on ended pairings and of the connections people kept."""

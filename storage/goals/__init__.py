"""Members' goals, their progress notes, and whether each member shares them with a circle."""

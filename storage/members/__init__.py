"""Members: the people of each workspace, and the milestones they reached."""

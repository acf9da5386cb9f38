"""Storage of each workspace's settings: what its moderators chose over the config's defaults."""

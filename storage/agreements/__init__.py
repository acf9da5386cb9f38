"""Storage of the agreements mentors and mentees confirm at the start of a pairing."""

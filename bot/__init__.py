"""Mentor Circles' platform-neutral core: the programme's rules, written once for every chat."""

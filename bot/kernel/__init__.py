"""The kernel: identity, the shared model, time, text, errors, settings and the ports every
feature needs. It imports no feature and no runtime module."""

"""The demo's data: what the source documents say, real geography, and the labelled sample."""

"""make bench: the portal served as in production and measured (see bench/run.py)."""

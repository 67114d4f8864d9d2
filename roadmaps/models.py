"""Roadmap items, scoring and exports (later issues)."""

"""Touchpoint evaluations, feedback, maturity and audits (later issues)."""

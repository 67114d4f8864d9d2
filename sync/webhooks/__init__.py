"""Signed webhooks: organisation admins subscribe URLs to object changes and other events (docs/webhooks.md)."""

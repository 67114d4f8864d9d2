"""Placeholder: filled in by the journey-mapping work."""

urlpatterns: list = []

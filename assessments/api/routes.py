"""The assessments resources for the one API router (config/api_router.py): (prefix, viewset, basename)."""

ROUTES: list = []

"""Permissions every API view gets (config/settings/base.py DEFAULT_PERMISSION_CLASSES)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from sync.models import ApiToken


def request_token(request) -> ApiToken | None:
    """The API token the request was made with, if any."""
    return request.auth if isinstance(request.auth, ApiToken) else None


class ApiTokenScopePermission(permissions.BasePermission):
    """A read-only API token may read and nothing else: every unsafe method answers 403."""

    message = _("This API token is read-only.")

    def has_permission(self, request, view):
        token = request_token(request)
        return token is None or not token.is_read_only or request.method in permissions.SAFE_METHODS

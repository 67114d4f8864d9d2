"""A request body over the limit answers the API's JSON 413 instead of Django's HTML 400 page."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _


def _too_large(limit: int) -> JsonResponse:
    detail = _("The request body is larger than the %(limit)s bytes this API accepts.") % {"limit": limit}
    return JsonResponse({"detail": detail, "code": "request_too_large", "limit": limit}, status=413)


class ApiBodySizeLimitMiddleware:
    """Under /api/: a declared Content-Length over API_MAX_BODY_BYTES is refused before anything reads the body,
    and a body found too large while reading (Django's DATA_UPLOAD_MAX_MEMORY_SIZE) gets the same answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_BYTES:
                return _too_large(settings.API_MAX_BODY_BYTES)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/") and isinstance(exception, RequestDataTooBig):
            return _too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None

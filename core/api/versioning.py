"""ETag / If-Match for versioned objects: a stale write answers 412 with the current object."""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from core.versioning import StaleVersion


def etag_for(instance) -> str:
    return f'"{instance.version}"'


class VersionedViewSetMixin:
    """Adds `ETag` to detail responses and reads `If-Match` (a quoted version number) on writes."""

    def expected_version(self) -> int | None:
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return None
        value = header.removeprefix("W/").strip('"')
        if not (value.isascii() and value.isdigit()) or len(value) > 20:
            raise ParseError(_('If-Match must be the ETag of the object, for example "3".'))
        return int(value)  # beyond MAX_VERSION no row can match: the write is refused as stale (412)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = response.data.get("version") if isinstance(getattr(response, "data", None), dict) else None
        if version is not None and "pk" in self.kwargs and "ETag" not in response:
            response["ETag"] = f'"{version}"'
        return response

    def handle_exception(self, exc):
        if isinstance(exc, StaleVersion):
            body = {
                "detail": _("Someone else changed this object since you loaded it. Here it is as it is now."),
                "current": self.get_serializer(exc.current).data,
            }
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag_for(exc.current)})
        return super().handle_exception(exc)

    def check_delete_version(self, instance) -> None:
        expected = self.expected_version()
        if expected is not None and expected != instance.version:
            raise StaleVersion(instance)

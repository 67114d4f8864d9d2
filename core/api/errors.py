"""JSON errors for every API failure, including Django's own 404 and 403: RFC 9457 problem details
(core/api/problems.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.problems import field_errors, problem
from core.tasks import BrokerUnavailable


class StillReferenced(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other objects still point to this one; change or delete them first.")
    default_code = "still_referenced"


class ServiceUnavailable(exceptions.APIException):
    """A service the request needs (the task queue) is down: retry later; DRF sends `wait` as Retry-After."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = BrokerUnavailable.message
    default_code = "service_unavailable"
    wait = BrokerUnavailable.retry_after


def exception_handler(exc, context):
    """DRF's handler, plus model validation errors from services turned into field messages (400), and a deletion
    that protected rows refuse into a 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = StillReferenced()
    elif isinstance(exc, BrokerUnavailable):
        exc = ServiceUnavailable()
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = _unsupported(exc, context.get("request"))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = _problem_of(exc, response)
    return response


def _problem_of(exc: exceptions.APIException, response) -> dict:
    status_code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        detail = errors[0]["detail"] if len(errors) == 1 else _("Invalid input.")
        return problem(status_code, code="invalid", detail=detail, errors=errors)
    code = getattr(exc.detail, "code", None) or exc.default_code
    extensions = {"wait": exc.wait} if getattr(exc, "wait", None) else {}
    return problem(status_code, code=code, detail=exc.detail, **extensions)


def _unsupported(exc, request) -> exceptions.UnsupportedMediaType:
    """415 saying which body types this operation takes (JSON everywhere but the one file upload)."""
    accepted = [parser.media_type for parser in getattr(request, "parsers", None) or ()] or ["application/json"]
    media_type = getattr(request, "content_type", "") or ""
    detail = _("This operation does not accept a body of type “%(type)s”: send %(accepted)s.") % {
        "type": media_type.split(";")[0], "accepted": " or ".join(accepted)}
    return exceptions.UnsupportedMediaType(media_type, detail=detail)


def page_not_found(request, exception):
    """handler404: an address under /api/ that matches no route answers JSON like every other API error."""
    if request.path.startswith("/api/"):
        return JsonResponse(problem(404, code="not_found", detail=_("Not found.")), status=404)
    return defaults.page_not_found(request, exception)

"""One error format for the API: RFC 9457 problem details (`application/problem+json`).

Every error answer under /api/ is an object with
- `type`: `urn:journey-planner:problem:<code>`, stable, never translated (docs/api-errors.md lists them);
- `title`: the HTTP status phrase (English, the same for every answer of that status);
- `status`: the HTTP status code;
- `detail`: what went wrong, for a person, in the request's language (Accept-Language or the profile's);
- `code`: the machine-readable code of `type` (e.g. `required`, `not_found`, `precondition_failed`);
- `errors` (400 and bulk answers): a list, one entry per problem: `pointer` (RFC 6901 JSON Pointer into the request
  body, "" for the body as a whole), `field` (the same as a dotted name, null for the whole body), `code` and
  `detail`; bulk answers list their items' errors with their `index` and, as before, each item's `errors`;
- extension members where they help: `current` (the object as it is now, on 412 and stale writes), `limit`
  (413), `wait` (429 and 503, also sent as Retry-After).

The exception handler (core/api/errors.py) builds problems from exceptions with their codes; answers written
directly by a view (412 with `current`, bulk 400s, the 413 of the body limit, the JSON 404 of unknown addresses)
are turned into problems by `ProblemDetailsMiddleware`, keeping every member they had.
"""

import json
from http import HTTPStatus

from rest_framework.exceptions import ErrorDetail

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:journey-planner:problem:"

# The code of an answer that carries none, by status.
STATUS_CODES = {
    400: "invalid", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 412: "precondition_failed",
    413: "request_too_large", 415: "unsupported_media_type", 428: "precondition_required", 429: "throttled",
    500: "server_error", 503: "service_unavailable",
}


def problem(status: int, *, code: str | None = None, detail: str = "", **extensions) -> dict:
    code = code or STATUS_CODES.get(status, "error")
    return {"type": TYPE_PREFIX + code, "title": _title(status), "status": status, "detail": str(detail),
            "code": code, **extensions}


def is_problem(body) -> bool:
    return isinstance(body, dict) and str(body.get("type", "")).startswith(TYPE_PREFIX) and "status" in body


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def field_errors(detail, pointer: str = "") -> list[dict]:
    """DRF's nested error details ({field: [ErrorDetail]}, lists for many=True) as a flat list of entries."""
    if isinstance(detail, dict):
        return [entry for name, value in detail.items()
                for entry in field_errors(value, pointer if name in ("non_field_errors", "__all__")
                                          else f"{pointer}/{_escape(name)}")]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [entry for item in detail for entry in field_errors(item, pointer)]
        return [entry for index, item in enumerate(detail) for entry in field_errors(item, f"{pointer}/{index}")]
    code = detail.code if isinstance(detail, ErrorDetail) and detail.code else "invalid"
    return [{"pointer": pointer, "field": _dotted(pointer), "code": code, "detail": str(detail)}]


def _escape(name) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")


def _dotted(pointer: str) -> str | None:
    if not pointer:
        return None
    return ".".join(part.replace("~1", "/").replace("~0", "~") for part in pointer.lstrip("/").split("/"))


def from_legacy(body, status: int) -> dict:
    """A view's own error body ({"detail": …, "errors": …, "current": …} or field messages) as a problem."""
    if not isinstance(body, dict):
        return problem(status, detail=_first_message(body) or _title(status), errors=field_errors(body or []))
    body = dict(body)
    code = body.pop("code", None)
    detail = body.pop("detail", None)
    if detail is None:  # field messages at the top level, as DRF writes a serializer's errors
        return problem(status, code=code, detail=_first_message(body) or _title(status), errors=field_errors(body))
    if isinstance(detail, dict | list):
        body.setdefault("errors", field_errors(detail))
        detail = _first_message(detail)
    return problem(status, code=code, detail=detail, **body)


def _first_message(value) -> str:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return next((message for item in value if (message := _first_message(item))), "")
    return str(value) if value else ""


class ProblemDetailsMiddleware:
    """Under /api/: any error answer that is not a problem yet becomes one (a JSON body keeps its members; an HTML
    page, unless the client asked for HTML, is replaced), and every problem is sent as `application/problem+json`.
    Successful answers and pages are untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400 or response.streaming:
            return response
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(("application/json", PROBLEM_CONTENT_TYPE)):
            if "text/html" in request.META.get("HTTP_ACCEPT", ""):
                return response  # a person in a browser (the browsable API) keeps the page
            # An error Django or a middleware wrote as a page (a 400 for a bad request line, axes' lockout…): a
            # client of the API gets a problem all the same.
            return self._replaced(response, problem(response.status_code, detail=_title(response.status_code)))
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            return self._replaced(response, problem(response.status_code, detail=_title(response.status_code)))
        if is_problem(body):
            response["Content-Type"] = PROBLEM_CONTENT_TYPE
            return response
        return self._replaced(response, from_legacy(body, response.status_code))

    @staticmethod
    def _replaced(response, body: dict):
        response.content = json.dumps(body, ensure_ascii=False).encode()
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        response["Content-Type"] = PROBLEM_CONTENT_TYPE
        return response

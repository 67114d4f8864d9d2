"""The error answers every API operation can give, written into the OpenAPI schema once for all of them.

drf-spectacular documents the successful answers a view declares; the errors come from DRF itself (validation,
authentication, permissions, throttling, 404) and are the same everywhere, so a postprocessing hook
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) adds them to each operation that can give them, unless the view
documented its own. Clients (and schemathesis in the test suite) can then rely on the schema listing every
status code the API answers with, each error through the one `Error` component. Conditional requests on versioned
objects (If-Match and 412 on writes, If-None-Match and 304 on reads, the ETag header) and a summary for every
operation come from the schema class below, which the project's AutoSchema (sync.api.schema) builds on.
"""

import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from core.api.versioning import VersionedViewSetMixin

# The ONE error body of the API, referenced by every error answer: swap this component (and ERROR_MEDIA_TYPE) to
# change the error format everywhere in the schema.
ERROR_COMPONENT = "Error"
ERROR_MEDIA_TYPE = "application/problem+json"
_ENTRY = {
    "type": "object",
    "properties": {
        "pointer": {"type": "string", "description": "RFC 6901 JSON Pointer into the request body; \"\" for the body."},
        "field": {"type": ["string", "null"], "description": "The same as a dotted name; null for the whole body."},
        "code": {"type": "string", "description": "Machine-readable, never translated (required, blank, invalid…)."},
        "detail": {"type": "string", "description": "The message, in the caller's language."},
    },
    "additionalProperties": True,
}
ERROR = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": "urn:journey-planner:problem:<code> (docs/api-errors.md)."},
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, in the caller's language."},
        "code": {"type": "string", "description": "Machine-readable code of `type`; never translated."},
        "errors": {"type": "array", "items": _ENTRY,
                   "description": "400: one entry per problem; bulk answers: one per refused item, with `index`."},
        "current": {"type": "object", "description": "412 and stale writes: the object as it is now."},
        "wait": {"type": "number", "description": "429 and 503: seconds to wait (also in Retry-After)."},
        "limit": {"type": "integer", "description": "413: the largest body accepted, in bytes."},
    },
    "additionalProperties": True,
    "description": "An RFC 9457 problem (application/problem+json), the one shape of every error answer.",
}
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
RESPONSES = {
    "400": "The request cannot be used: a field, filter or header is not valid, or the write breaks a rule (an "
           "organisation must keep one owner…).",
    "401": "No credentials, or credentials that do not work (expired or revoked token).",
    "403": "Authenticated, but not allowed to do this (a viewer writing, a read-only token…).",
    "404": "No such object among those you may see (another organisation's objects are absent).",
    "405": "This address does not take this method (the Allow header lists those it takes).",
    "409": "Other objects still point to this one: change or delete them first.",
    "413": "The request body is larger than the API accepts (API_MAX_BODY_BYTES).",
    "415": "The body is not of the type this operation takes: JSON (application/json) everywhere, "
           "multipart/form-data for a file upload.",
    "429": "Too many requests: wait the number of seconds in Retry-After.",
    "503": "A service the request needs (the task queue) is down: ask again after Retry-After seconds.",
}
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description=_('ETags you hold, for example "3" or "2", "3" (W/"3" matches too), or *. If one is the object\'s '
                  "current ETag, the answer is 304 Not Modified without a body."),
)
IF_MATCH_READ_PARAMETER = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description=_('Answer only if the object is at one of these ETags (strong comparison: W/"3" never matches), '
                  "else 412."),
)
ETAG_HEADER = {"schema": {"type": "string"}, "description": "The object's version, quoted, for example \"3\"."}
NOT_MODIFIED = "Not Modified: the object is still at the ETag you sent in If-None-Match (no body)."
IF_MATCH_FAILED = "If-Match names none of the object's versions; `current` is the object as it is now."


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before asking again."}}


def _possible(operation: dict, path: str, method: str) -> set[str]:
    codes = {"405", "429"}
    authenticated = any(requirement for requirement in operation.get("security", [{}]))
    if authenticated:
        codes |= {"401", "403"}
    parameters = operation.get("parameters", [])
    if "{" in path or any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
        codes.add("404")  # no such object, or no such page
    if "requestBody" in operation or any(p.get("in") in ("query", "header") for p in parameters):
        codes.add("400")
    if "requestBody" in operation:
        codes |= {"413", "415"}
    if method != "get":
        codes.add("400")  # a rule the write would break
    if method == "delete":
        codes.add("409")
    if method != "get":
        codes.add("503")  # a write may need the task queue (an export, an e-mail)
    return codes


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the shared error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(_possible(operation, path, method)):
                if code in responses:
                    continue
                responses[code] = {"content": {ERROR_MEDIA_TYPE: {"schema": ERROR_REF}},
                                   "description": RESPONSES[code]}
                if code in ("429", "503"):
                    responses[code]["headers"] = RETRY_AFTER
            for code, response in responses.items():
                if code.startswith(("4", "5")) and "content" not in response and "$ref" not in response:
                    response["content"] = {ERROR_MEDIA_TYPE: {"schema": ERROR_REF}}  # a view named only its words
    return result


IF_MATCH_WRITE_PARAMETER = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description=_('The ETag you loaded the object with, for example "3" (or a list, "2", "3", or *). If someone '
                  "changed the object since, nothing is written and the answer is 412 with the object as it is "
                  'now; a weak ETag (W/"3") never matches. Without it the write is based on the version the '
                  "server reads."),
)
ETAG_RESPONSE_HEADER = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201, 304, 412],
    description=_("The object's version, quoted; send it back in If-Match to write."),
)
SUMMARIES = {"list": "List {plural}", "retrieve": "Get a {name}", "create": "Create a {name}",
             "update": "Replace a {name}", "partial_update": "Change some fields of a {name}",
             "destroy": "Delete a {name}"}


@functools.cache
def conflict_serializer(serializer_class) -> serializers.Serializer:
    """The 412 body of a versioned resource: a problem (see ERROR) with the object as it is now in `current` (one
    component per resource)."""
    name = getattr(getattr(serializer_class, "Meta", None), "model", serializer_class).__name__
    return inline_serializer(f"{name}Conflict", {
        "type": serializers.CharField(help_text="urn:journey-planner:problem:precondition_failed"),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="precondition_failed"),
        "current": serializer_class(read_only=True, allow_null=True, help_text=IF_MATCH_FAILED),
    })


def document_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: OpenAPI links from each create (`POST /api/v1/things/`, 201) to the
    operations on what it created (`/api/v1/things/{id}/`), its `id` taken from the answer's body. Client generators
    and schemathesis' stateful tests follow them from one call to the next."""
    paths = result.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        item = paths.get(f"{path}{{id}}/")
        if "{" in path or not created or not item:
            continue
        links = {}
        for method, operation in item.items():
            if method in ("get", "put", "patch", "delete") and operation.get("operationId"):
                links[operation["operationId"]] = {"operationId": operation["operationId"],
                                                   "parameters": {"id": "$response.body#/id"}}
        if links:
            created.setdefault("links", {}).update(links)
    return result


class ConditionalReadsSchema(openapi.AutoSchema):
    """Documents conditional requests on versioned objects (core.api.versioning): `If-None-Match`/`If-Match` and
    304/412 on their GET, `If-Match` and 412 on every write of one, and the `ETag` header of each answer. Every
    operation gets a summary (from its action when the view gave none)."""

    def _is_versioned(self) -> bool:
        return isinstance(self.view, VersionedViewSetMixin) and "{" in self.path

    def _is_conditional_read(self) -> bool:
        if self.method != "GET" or not isinstance(self.view, VersionedViewSetMixin):
            return False
        action = getattr(self.view, "action", None)
        return action == "retrieve" if action is not None else "{" in self.path

    def _is_versioned_write(self) -> bool:
        return self._is_versioned() and self.method in ("PUT", "PATCH", "DELETE")

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_conditional_read():
            parameters = [*parameters, IF_NONE_MATCH_PARAMETER, IF_MATCH_READ_PARAMETER]
        if self._is_versioned_write() and not any(getattr(p, "name", None) == "If-Match" for p in parameters):
            parameters = [*parameters, IF_MATCH_WRITE_PARAMETER]
        if self._is_versioned() or (isinstance(self.view, VersionedViewSetMixin) and self.method == "POST"):
            parameters = [p for p in parameters if getattr(p, "name", None) != "ETag"] + [ETAG_RESPONSE_HEADER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self._is_conditional_read():
            responses.setdefault("304", {"description": NOT_MODIFIED, "headers": {"ETag": ETAG_HEADER}})
        if self._is_conditional_read() or self._is_versioned_write():
            serializer_class = getattr(self.view, "get_serializer_class", lambda: None)()
            conflict = conflict_serializer(serializer_class) if serializer_class else None
            if conflict is not None and ("412" not in responses or "content" not in responses["412"]):
                responses["412"] = self._get_response_for_code(OpenApiResponse(conflict, IF_MATCH_FAILED), "412")
        return responses

    def get_summary(self):
        summary = super().get_summary()
        action = getattr(self.view, "action", None)
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if summary or action not in SUMMARIES or model is None:
            return summary
        return SUMMARIES[action].format(name=model._meta.verbose_name, plural=model._meta.verbose_name_plural)

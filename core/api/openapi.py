"""The error answers every API operation can give, written into the OpenAPI schema once for all of them.

drf-spectacular documents the successful answers a view declares; the errors come from DRF itself (validation,
authentication, permissions, throttling, 404) and are the same everywhere, so a postprocessing hook
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) adds them to each operation that can give them, unless the view
documented its own. Clients (and schemathesis in the test suite) can then rely on the schema listing every
status code the API answers with. Conditional reads of versioned objects (If-None-Match, 304) are documented by the
schema class below, which the project's AutoSchema (sync.api.schema) builds on.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from core.api.versioning import VersionedViewSetMixin

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, in the caller's language.",
}
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": True,
    "description": "Field name (or `non_field_errors`, `detail`) -> what is wrong with it: a message, a list of "
                   "messages, or, for a list of objects, one such object per item.",
}
RESPONSES = {
    "400": ("ValidationError", "The request cannot be used: a field, filter or header is not valid."),
    "401": ("Error", "No credentials, or credentials that do not work (expired or revoked token)."),
    "403": ("Error", "Authenticated, but not allowed to do this (a viewer writing, a read-only token…)."),
    "404": ("Error", "No such object among those you may see (another organisation's objects are absent)."),
    "409": ("Error", "Other objects still point to this one: change or delete them first."),
    "413": ("Error", "The request body is larger than the API accepts (API_MAX_BODY_BYTES)."),
    "415": ("Error", "The body's Content-Type is not one the operation reads (send application/json)."),
    "429": ("Error", "Too many requests: wait the number of seconds in Retry-After."),
    "503": ("Error", "A service the request needs (the task queue) is down: ask again after Retry-After seconds."),
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


class PreconditionFailedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField(help_text="The object as it is now.")


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before asking again."}}


def _possible(operation: dict, path: str, method: str) -> set[str]:
    codes = {"429"}
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
    if method == "delete":
        codes.add("409")
    if method != "get":
        codes.add("503")  # a write may need the task queue (an export, an e-mail)
    return codes


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the shared error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(_possible(operation, path, method)):
                if code in responses:
                    continue
                name, description = RESPONSES[code]
                schema = {"$ref": f"#/components/schemas/{name}"}
                responses[code] = {"content": {"application/json": {"schema": schema}}, "description": description}
                if code in ("429", "503"):
                    responses[code]["headers"] = RETRY_AFTER
    return result


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
    """Documents the conditional read of a versioned object: `If-None-Match` (and `If-Match`) on its GET, and the
    304 answer (core.api.versioning)."""

    def _is_conditional_read(self) -> bool:
        if self.method != "GET" or not isinstance(self.view, VersionedViewSetMixin):
            return False
        action = getattr(self.view, "action", None)
        return action == "retrieve" if action is not None else "{" in self.path

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_conditional_read():
            parameters = [*parameters, IF_NONE_MATCH_PARAMETER, IF_MATCH_READ_PARAMETER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response" and self._is_conditional_read():
            responses.setdefault("304", {"description": NOT_MODIFIED, "headers": {"ETag": ETAG_HEADER}})
            responses.setdefault("412", self._get_response_for_code(
                OpenApiResponse(PreconditionFailedSerializer, IF_MATCH_FAILED), "412"))
        return responses

"""A postprocessing hook that leaves the OpenAPI 3.1 schema in the shape strict tools accept (Redocly's
`recommended` rules, openapi-python-client, openapi-typescript; see redocly.yaml and tests/api_clients/).

drf-spectacular writes 3.1 nullables for the fields it maps, but schemas written by hand elsewhere (DRF's paginated
list envelope) still say 3.0's `nullable: true`, and its 3.1 nullables wrap a single reference in an `allOf`.
"""

OPERATIONS = ("get", "put", "post", "patch", "delete", "head", "options")


def _nullable(schema: dict) -> dict:
    """`nullable: true` in the 3.1 way: `null` among the types, or a `oneOf` with `{"type": "null"}`."""
    if not schema.pop("nullable", False):
        return schema
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = [*types, "null"] if "null" not in types else types
        return schema
    kept = {key: schema.pop(key) for key in ("description", "title", "readOnly", "writeOnly", "default")
            if key in schema}
    return {"oneOf": [schema, {"type": "null"}], **kept}


def _single(schema: dict) -> dict:
    """`{"allOf": [X]}` with nothing beside it is X."""
    if set(schema) == {"allOf"} and len(schema["allOf"]) == 1:
        return schema["allOf"][0]
    return schema


def _normalised(node):
    if isinstance(node, list):
        return [_normalised(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _normalised(value) for key, value in node.items()}
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            node[key] = [_single(item) if isinstance(item, dict) else item for item in node[key]]
    return _nullable(node) if "nullable" in node else node


def _problem_media_types(responses: dict) -> None:
    """Every error answer is sent as application/problem+json (core/api/problems.py), whatever view wrote it."""
    for code, response in responses.items():
        content = response.get("content") if isinstance(response, dict) else None
        if str(code).startswith(("4", "5")) and content and "application/json" in content:
            content.setdefault("application/problem+json", content.pop("application/json"))


def strict_schema(result, generator, request, public):
    """drf-spectacular postprocessing hook; runs last (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result = _normalised(result)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in OPERATIONS:
                operation.setdefault("security", [])  # documented as needing no credentials (sign-in)
                _problem_media_types(operation.get("responses", {}))
    return result

"""Every write endpoint of the API router, sent hostile bodies and headers as the demo owner and viewer: the answer
is a 4xx (or a success), never a 5xx.

The endpoints come from the OpenAPI schema (every route of config/api_router.py is documented there); the ids in
their paths point at the seeded demo organisation's objects, so the writes get past their 404s.
"""

import functools
import json
import uuid

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from config.api_router import router

WRITES = ("post", "put", "patch", "delete")
TEXT_FIELDS = ("name", "description", "status", "kind", "title", "notes", "body", "role", "url", "verbatim",
               "external_source", "external_id", "department", "format", "events", "answer", "comment")
RELATIONS = ("organisation", "plan", "channel", "persona", "journey", "stage", "touchpoint", "team", "item")
DEEP = 5000


def _json(value) -> str:
    return json.dumps(value)


# name -> (raw JSON body, extra headers)
BODIES = {
    "empty object": ("{}", {}),
    "empty list": ("[]", {}),
    "null": ("null", {}),
    "not json": ("{'name': ", {}),
    "nested too deep": ('{"name": ' + "[" * DEEP + "]" * DEEP + "}", {}),
    "nested object too deep": ('{"items": ' + '{"a":' * DEEP + "1" + "}" * DEEP + "}", {}),
    "nul in every text field": (_json({name: "a\u0000b" for name in TEXT_FIELDS}), {}),
    "nul in a key": (_json({"name\u0000": "x", "\u0000": 1}), {}),
    "lone surrogate": ('{"name": "\\ud800", "description": "\\udfff"}', {}),
    "numbers out of range": (_json({"version": 2**31, "score": 10**30, "priority": -(2**63), "value": 2**64,
                                    **{name: 2**63 for name in RELATIONS}}), {}),
    "wrong types": (_json({"name": ["x"], "description": {"a": 1}, **{name: "abc" for name in RELATIONS}}), {}),
    "formula": (_json({"name": "x;=1+1", "description": " =HYPERLINK(\"http://x\")"}), {}),
    "if-match out of range": (_json({"name": "Renamed"}), {"HTTP_IF_MATCH": '"2147483648"'}),
    "if-match not ascii digits": (_json({"name": "Renamed"}), {"HTTP_IF_MATCH": '"²"'}),
}


@functools.cache
def write_operations() -> tuple:
    """(method, path) of every write of the schema: generated once a process (1–3 s each time)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple((method, path) for path, operations in schema["paths"].items() for method in operations
                 if method in WRITES)


def _models_by_prefix():
    models = {prefix: viewset.queryset.model for prefix, viewset, _basename in router.registry
              if getattr(viewset, "queryset", None) is not None}
    return models


def concrete_path(path: str, models) -> str:
    """"/api/v1/personas/{id}/" -> "/api/v1/personas/12/", the id of the first seeded persona."""
    model = models.get(path.split("/")[3])
    row = model._base_manager.order_by("pk").first() if model is not None else None
    return (path.replace("{id}", str(row.pk if row else 1)).replace("{delivery_pk}", "1")
            .replace("{delivery_id}", "00000000-0000-4000-8000-000000000001")
            .replace("{external_source}", "crm").replace("{external_id}", "ext-1"))


@pytest.mark.parametrize("body_name", list(BODIES))
def test_no_write_endpoint_answers_a_server_error(demo, body_name):
    body, headers = BODIES[body_name]
    models = _models_by_prefix()
    operations = [(method, concrete_path(path, models)) for method, path in write_operations()]
    failures = []
    for role, api in demo.items():
        for method, url in operations:
            try:
                with transaction.atomic():  # each request on its own: a failed one cannot spoil the next ones
                    response = api.generic(method.upper(), url, body.encode("utf-8", "surrogatepass"),
                                           content_type="application/json",
                                           HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers)
                    transaction.set_rollback(True)
            except Exception as error:  # noqa: BLE001  (the test client re-raises what answered 500)
                failures.append(f"{role} {method.upper()} {url}: {type(error).__name__}: {str(error)[:150]}")
                continue
            if response.status_code >= 500 or response.status_code != 204 and not response.get(
                    "Content-Type", "").startswith(("application/json", "application/problem+json")):
                failures.append(f"{role} {method.upper()} {url}: {response.status_code} {response.content[:120]!r}")
    assert not failures, "\n".join(failures)


def test_the_operations_cover_the_router():
    prefixes = {path.split("/")[3] for _method, path in write_operations()}
    writable = {prefix for prefix, viewset, _basename in router.registry
                if any(hasattr(viewset, action) for action in ("create", "update", "destroy"))}
    assert writable and writable <= prefixes

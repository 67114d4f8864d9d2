"""Redocly CLI's `recommended` rules (redocly.yaml) find no error in the OpenAPI schema."""

import json
from pathlib import Path

from django.conf import settings

from tests.api_clients.conftest import node_tool, run


def test_redocly_finds_no_error_in_the_schema(schema_file):
    config = Path(settings.BASE_DIR) / "redocly.yaml"
    answer = run([node_tool("redocly"), "lint", str(schema_file), "--config", str(config), "--format", "json",
                  "--max-problems", "1000"])
    report = json.loads(answer.stdout)
    errors = [f"{problem['ruleId']}: {problem['message']} at {problem['location'][0]['pointer']}"
              for problem in report["problems"] if problem["severity"] == "error"]
    assert report["totals"]["errors"] == 0, "\n".join(errors)
    assert answer.returncode == 0, answer.stderr


def test_the_schema_gives_every_operation_a_summary_and_a_resource_tag(schema_file):
    schema = json.loads(schema_file.read_text())
    operations = [(path, method, operation) for path, item in schema["paths"].items()
                  for method, operation in item.items()]
    assert len(operations) > 150
    for path, method, operation in operations:
        assert operation.get("summary"), (method, path)
        assert operation["tags"] and operation["tags"] != ["v1"], (method, path)
    assert schema["openapi"].startswith("3.1") and schema["servers"][0]["url"] == settings.SITE_URL.rstrip("/")
    assert "nullable" not in schema_file.read_text()


# Resources without a version (no ETag, nothing to lose to a concurrent edit): keys, links, the theme taxonomy.
UNVERSIONED = tuple(f"/api/v1/{prefix}/" for prefix in (
    "api-tokens", "webhook-subscriptions", "share-links", "themes", "theme-rules", "tags", "plan-versions",
    "duplications", "sso-configurations", "plan-templates", "template-uses"))


def _operations(schema):
    return [(path, method, operation) for path, item in schema["paths"].items() for method, operation in item.items()]


def test_every_versioned_write_documents_if_match_412_and_the_etag(schema_file):
    schema = json.loads(schema_file.read_text())
    versioned = [(path, method, operation) for path, method, operation in _operations(schema)
                 if method in ("put", "patch", "delete") and "{" in path and not path.startswith(UNVERSIONED)]
    assert len(versioned) > 80
    for path, method, operation in versioned:
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "If-Match" in headers, (method, path)
        conflict = operation["responses"]["412"]["content"]["application/problem+json"]["schema"]["$ref"]
        assert set(schema["components"]["schemas"][conflict.rsplit("/", 1)[1]]["properties"]) == {
            "type", "title", "status", "detail", "code", "current"}
        success = next(code for code in ("200", "201", "204") if code in operation["responses"])
        if success != "204":
            assert "ETag" in operation["responses"][success]["headers"], (method, path)
    upsert = schema["paths"]["/api/v1/stakeholders/by-external-id/{external_source}/{external_id}/"]["put"]
    assert {"ETag", "Idempotent-Replayed"} <= set(upsert["responses"]["201"]["headers"])
    retrieve = schema["paths"]["/api/v1/plans/{id}/"]["get"]
    assert {"304", "412"} <= set(retrieve["responses"]) and "ETag" in retrieve["responses"]["200"]["headers"]


def test_every_error_answer_has_the_one_error_shape_and_bodies_are_json(schema_file):
    schema = json.loads(schema_file.read_text())
    multipart = []
    for path, method, operation in _operations(schema):
        body_types = set(operation.get("requestBody", {}).get("content", {}))
        if body_types == {"multipart/form-data"}:
            multipart.append((method, path))
        else:
            assert body_types <= {"application/json"}, (method, path, body_types)
        if body_types:
            assert "415" in operation["responses"], (method, path)
        for code in ("400", "403", "404", "405", "409", "412", "415"):
            answer = operation["responses"].get(code)
            if answer is not None and code != "412":
                assert set(answer["content"]) == {"application/problem+json"}, (method, path, code)
        assert operation["responses"]["405"]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}
    assert multipart == [("put", "/api/v1/personas/{id}/photo/")]


def test_the_feed_downloads_exports_and_bulk_upserts_are_typed(schema_file):
    schema = json.loads(schema_file.read_text())
    schemas = schema["components"]["schemas"]
    feed_change = schemas["FeedChange"]
    assert feed_change["discriminator"]["propertyName"] == "type"
    touchpoint = schemas["FeedChangeTouchpoint"]
    assert touchpoint["properties"]["type"]["const"] == "touchpoint"
    assert touchpoint["properties"]["object"]["oneOf"] == [{"$ref": "#/components/schemas/Touchpoint"},
                                                           {"$ref": "#/components/schemas/FeedTombstone"}]
    assert len(feed_change["oneOf"]) == len(feed_change["discriminator"]["mapping"]) > 20
    download = schema["paths"]["/api/v1/exports/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "application/zip", "application/json"} <= set(download)
    assert "application/octet-stream" not in download
    export = schema["paths"]["/api/v1/plans/{id}/exports/"]["post"]["responses"]["202"]
    assert {"Location", "Idempotent-Replayed"} <= set(export["headers"])
    bulk = schema["paths"]["/api/v1/touchpoints/bulk-upsert/"]["post"]["requestBody"]["content"]["application/json"]
    item = schemas[bulk["schema"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"external_source", "external_id"} <= set(item["required"])

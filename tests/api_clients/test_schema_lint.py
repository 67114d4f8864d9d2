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
    assert schema["openapi"].startswith("3.1") and schema["servers"][0]["url"] == settings.SITE_URL
    assert "nullable" not in schema_file.read_text()

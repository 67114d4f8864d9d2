"""What the client tests share: the schema written to a file, and the npm tools of package.json (`npm ci`).

A missing tool skips a test locally and fails it under CI=true (tests.support.require), so CI cannot pass
without running them.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.support import require

NODE_BIN = Path(settings.BASE_DIR) / "node_modules" / ".bin"
# No telemetry and no update check from Redocly: the tests run offline and leave nothing behind.
NODE_ENV = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}


def node_tool(name: str) -> str:
    """The path of an npm tool pinned in package.json, after checking that it and Node.js are there."""
    path = NODE_BIN / name
    require(shutil.which("node") is not None, "Node.js is needed for the API client tests (npm ci, package.json)")
    require(path.exists(), f"{name} is missing: run `npm ci` (package.json devDependencies)")
    return str(path)


def run(command: list[str], *, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=NODE_ENV, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture(scope="session")
def schema_file(tmp_path_factory) -> Path:
    """The OpenAPI schema as `manage.py spectacular` writes it (what /api/schema/ serves), as JSON."""
    path = tmp_path_factory.mktemp("schema") / "openapi.json"
    call_command("spectacular", "--file", str(path), "--format", "openapi-json", "--validate", "--fail-on-warn")
    return path

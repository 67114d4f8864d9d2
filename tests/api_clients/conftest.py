"""What the client tests share: the schema written to a file, and the npm tools of package.json (`npm ci`).

A missing tool skips a test locally and fails it under CI=true (tests.support.require), so CI cannot pass
without running them.
"""

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
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


# openapi-python-client's options: no post-generation hooks (its default runs ruff from PATH, which only slows
# generation down); the export download's file types read as bytes (the generator knows JSON, text and
# octet-stream by name; without this it would parse a PDF as JSON, the one type it recognises there).
PYTHON_CLIENT_CONFIG = """\
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
  application/zip: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""
PYTHON_CLIENT = "jp_client"


def generate_python_client(schema: Path, directory: Path) -> Path:
    """openapi-python-client's client for `schema`, as the package PYTHON_CLIENT in `directory`."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    require(generator.exists(), "openapi-python-client is missing: pip install -r requirements.txt")
    config = directory / "openapi-python-client.yaml"
    config.write_text(PYTHON_CLIENT_CONFIG)
    answer = subprocess.run([str(generator), "generate", "--path", str(schema), "--meta", "none", "--config",
                             str(config), "--output-path", str(directory / PYTHON_CLIENT)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Warning" not in answer.stdout + answer.stderr, answer.stdout + answer.stderr
    return directory


@pytest.fixture(scope="session")
def python_client(schema_file, tmp_path_factory):
    """The generated package, importable (its folder first on sys.path for the session)."""
    directory = generate_python_client(schema_file, tmp_path_factory.mktemp("python-client"))
    sys.path.insert(0, str(directory))
    try:
        yield importlib.import_module(PYTHON_CLIENT)
    finally:
        sys.path.remove(str(directory))
        for name in [name for name in sys.modules if name.split(".")[0] == PYTHON_CLIENT]:
            del sys.modules[name]


def every_module(package) -> list[str]:
    return [module.name for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]

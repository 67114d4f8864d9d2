"""The floors of docs/architecture.md hold: no app imports one above it, no import cycle, and no import of our
own modules hidden inside a function (where one must be, for Django's app loading, the reason is written there)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("core", "tenancy", "planning", "assessments", "listening", "roadmaps", "kpis", "sharing", "versions",
        "library", "workshops", "sync", "sso", "demo", "config", "bench", "identity")
REASON = "# Imported here"  # written in the function, before its imports: why they cannot be at the top
SCRIPT_REASON = "imported inside functions here:"  # a script that sets Django up itself says so once, at its top


def test_import_linter_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def _hidden_imports(source: str, name: str) -> list[str]:
    if SCRIPT_REASON in source:
        return []
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            ours = getattr(node, "level", 0) or (module or "").split(".")[0] in OURS
            explained = any(REASON in line for line in lines[function.lineno - 1:node.lineno])
            if ours and not explained:
                found.append(f"{name}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_no_import_of_our_modules_is_hidden_inside_a_function():
    files = [p for package in OURS for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 100
    hidden = [found for path in sorted(files)
              for found in _hidden_imports(path.read_text(), str(path.relative_to(ROOT)))]
    assert hidden == []


def test_the_check_finds_a_hidden_import_and_accepts_an_explained_one():
    hidden = "def f():\n    from planning.models import Touchpoint\n    return Touchpoint\n"
    assert _hidden_imports(hidden, "example.py") == ["example.py:2: from planning.models import Touchpoint"]
    explained = "def ready(self):\n    # Imported here: the registry is not ready before.\n    from planning import x\n"
    assert _hidden_imports(explained, "apps.py") == []
    outside = "def f():\n    import json\n    from django.conf import settings\n"
    assert _hidden_imports(outside, "example.py") == []

"""A real OpenID Connect provider for the tests: tests/sso/oidc_provider.mjs (npm's certified `oidc-provider`) in a
Node subprocess on a free port, with one registered client and the accounts given.

Skipped when Node or the npm package is missing, except under CI=true, where that fails the test (tests.support).
"""

import json
import secrets
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support import require

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = Path(__file__).resolve().parent / "oidc_provider.mjs"
READY_TIMEOUT = 30


@dataclass
class OidcProvider:
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _read_ready_line(process: subprocess.Popen) -> str:
    """The provider's first stdout line ("ready <issuer>"); readline blocks until it is written or the process
    ends (a timer kills a provider that never answers)."""
    import threading

    timer = threading.Timer(READY_TIMEOUT, process.kill)
    timer.start()
    try:
        return process.stdout.readline().strip()
    finally:
        timer.cancel()


@contextmanager
def oidc_provider(*, redirect_uris: list[str], accounts: dict):
    node = shutil.which("node")
    require(node is not None and shutil.which("npm") is not None, "Node.js and npm are not installed")
    require((ROOT / "node_modules" / "oidc-provider").is_dir(), "npm package oidc-provider missing: run npm ci")
    client_id, client_secret = "journey-planner", secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as directory:
        config = Path(directory) / "provider.json"
        config.write_text(json.dumps({"port": _free_port(), "client_id": client_id, "client_secret": client_secret,
                                      "redirect_uris": redirect_uris, "accounts": accounts}))
        log = open(Path(directory) / "provider.log", "w")  # noqa: SIM115  (closed below)
        process = subprocess.Popen([node, str(SCRIPT), str(config)], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=log, text=True)
        try:
            line = _read_ready_line(process)
            assert line.startswith("ready "), f"the OpenID provider did not start: {line!r}\n" + (
                Path(log.name).read_text())
            yield OidcProvider(issuer=line.split(" ", 1)[1], client_id=client_id, client_secret=client_secret,
                               process=process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()

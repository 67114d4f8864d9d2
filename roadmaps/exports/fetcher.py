"""The only way WeasyPrint may load anything while rendering an export: our own static files and data: URLs.

Documents are rendered with BASE_URL as their base, a host under the reserved .invalid domain that never resolves:
relative URLs ("/static/css/x.css", "logo.png") become https://journey-planner.invalid/…, which this fetcher maps
to files found by django.contrib.staticfiles (or STATIC_ROOT) and reads itself. Everything else is refused before
any connection or file access: file://, http(s) to any other host (127.0.0.1 included), ftp, paths outside the
static directories, and redirects (there is no HTTP at all). A refusal raises, which WeasyPrint treats as a failed
fetch (the image or stylesheet is skipped, an attachment left out); it is logged and kept in `refused`.
"""

import logging
import mimetypes
import os
from pathlib import PurePosixPath
from urllib import request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

HOST = "journey-planner.invalid"
BASE_URL = f"https://{HOST}/"
MAX_STATIC_BYTES = 10 * 1024 * 1024


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL an export may not load."""


def static_prefix() -> str:
    prefix = urlsplit(settings.STATIC_URL).path or "/static/"
    return prefix if prefix.endswith("/") else prefix + "/"


def _static_roots() -> list[str]:
    """Real paths of every directory static files may come from."""
    roots = [settings.STATIC_ROOT] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        roots.extend(storage.location for storage in getattr(finder, "storages", {}).values())
    return [os.path.realpath(root) for root in roots]


def static_file(relative: str) -> str | None:
    """The real path of a static file (no traversal, no symlink out of the static directories), or None."""
    parts = PurePosixPath(relative).parts
    if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative or ".." in parts:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if not found and settings.STATIC_ROOT:
        found = os.path.join(settings.STATIC_ROOT, relative)
    if not found or not os.path.isfile(found):
        return None
    real = os.path.realpath(found)
    if not any(real.startswith(root + os.sep) for root in _static_roots()):
        return None
    return real


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves our static files and data: URLs, and refuses everything else."""

    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=("data", "https"), allow_redirects=False,
                         fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        parts = urlsplit(url)
        if scheme == "https" and parts.netloc.lower() == HOST and parts.path.startswith(static_prefix()):
            path = static_file(unquote(parts.path[len(static_prefix()):]))
            if path is not None and os.path.getsize(path) <= MAX_STATIC_BYTES:
                with open(path, "rb") as handle:
                    body = handle.read()
                mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        return self._refuse(url)

    def open(self, url, data=None, timeout=None):
        return self.fetch(url.full_url if isinstance(url, request.Request) else url)

    def __call__(self, url):
        return self.fetch(url)

    def _data(self, url):
        response = request.DataHandler().data_open(request.Request(url))
        return URLFetcherResponse(url, body=response.read(), headers=dict(response.headers.items()))

    def _refuse(self, url):
        shown = url if len(url) < 200 else url[:200] + "…"
        self.refused.append(shown)
        logger.warning("Export rendering refused to fetch %s", shown)
        raise FetchRefused(f"Exports may only load the application's static files and data: URLs, not {shown}")

"""WeasyPrint, one section at a time: lay a section's HTML out, write its PDF to a file, keep only what assembly needs
(each page's size, where each anchor is, the links that point into other sections), and let the layout go.

Every URL WeasyPrint meets (HTML, CSS, SVG, attachments) goes through the locked-down fetcher (fetcher.py).
"""

import ctypes
import ctypes.util
import gc
import logging
import os
import resource
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from roadmaps.exports.fetcher import BASE_URL, StaticOnlyFetcher

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per page otherwise


class _OtherSections(logging.Filter):
    """A link to another section's heading is not missing: assemble.py makes it once every section is laid out."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("No anchor #")


logging.getLogger("weasyprint").addFilter(_OtherSections())

STAMP_PAGES = 200  # pages per stamp document: its layout stays small too


def css_string(text: str) -> str:
    """The inside of a CSS string literal for our own labels (page headers): every character but letters and
    digits escaped (six hex digits, so no whitespace is ever swallowed after an escape). It holds no quote,
    bracket or HTML-special character, and survives template auto-escaping unchanged."""
    return "".join(c if c.isalnum() else f"\\{ord(c):06x}" for c in str(text))


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """WeasyPrint on our HTML; every URL it meets (HTML, CSS, SVG, attachments) goes through the fetcher."""
    fetcher = fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


@dataclass
class PageBox:
    """A laid-out page: its size in CSS pixels, and whether the stamp pass writes its page number."""

    width: float
    height: float
    stamped: bool = True

    @property
    def wide(self) -> bool:
        return self.width > self.height


@dataclass
class LaidOut:
    """What is left of a section once its PDF is on disk: enough to number, link and bookmark it."""

    path: Path
    pages: list[PageBox]
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # id → (page, x, y), CSS px
    links: list[tuple[int, tuple, str]] = field(default_factory=list)  # (page, (x, y, w, h), anchor)
    rss_mib: float = 0.0  # the process's resident size with this section's layout still held


def stylesheet(css: str) -> CSS:
    """Our stylesheet, parsed once for all the sections of a document (not once a section)."""
    return CSS(string=css, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())


def lay_out(html: str, path: Path, *, styles: CSS, stamped: bool = True) -> LaidOut:
    """Render `html` to a PDF at `path`; returns its pages, anchors and links, the layout released."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(stylesheets=[styles])
    try:
        result = LaidOut(path=path, pages=[PageBox(p.width, p.height, stamped) for p in document.pages])
        for number, page in enumerate(document.pages):
            for name, (x, y, _right, _bottom) in page.anchors.items():
                result.anchors.setdefault(name, (number, x, y))
        for number, page in enumerate(document.pages):
            for kind, target, rectangle, _box in page.links:
                if kind == "internal":
                    result.links.append((number, tuple(rectangle), target))
        document.write_pdf(path)
        result.rss_mib = resident_mib()
    finally:
        del document
        release_memory()
    return result


def stamp(labels: list[tuple[str, bool]], directory: Path) -> list[Path]:
    """PDFs of blank pages carrying only "Page n of N" where the sections left it out, one page per (label, wide),
    STAMP_PAGES to a file."""
    styles, paths = stylesheet(render_to_string("roadmaps/pdf/styles.css", {"stamp": True})), []
    for start in range(0, len(labels), STAMP_PAGES):
        pages = [{"label": label, "wide": wide} for label, wide in labels[start:start + STAMP_PAGES]]
        html = render_to_string("roadmaps/pdf/stamp.html", {"pages": pages})
        path = directory / f"stamp-{start:06d}.pdf"
        laid = lay_out(html, path, styles=styles)
        if len(laid.pages) != len(pages):
            raise RuntimeError(f"The page-number pass laid out {len(laid.pages)} pages for {len(pages)}")
        paths.append(path)
    return paths


def resident_mib() -> float:
    """This process's resident memory now (MiB): /proc where there is one, else the peak so far."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def frozen():
    """Everything alive now (Django, the gathered plan) is left out of the garbage collector's walks while the
    block runs: collecting after each section then costs what that section made, not the whole process."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_libc = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None


def release_memory() -> None:
    """Free the released layout now (its boxes hold reference cycles) and hand the freed heap back to the system,
    so the next section starts from the same resident size (glibc keeps freed memory otherwise). Cheap inside
    `frozen()`: the collection then only looks at what was made since."""
    gc.collect()
    trim = getattr(_libc, "malloc_trim", None)
    if trim is not None:
        trim(0)

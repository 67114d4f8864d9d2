"""The whole PDF: every section laid out on its own, then the contents, the page numbers and the assembly
(the package docstring, roadmaps/exports/pdf/__init__.py, says why and how)."""

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roadmaps.exports.gather import PlanExportData
from roadmaps.exports.jobs import ExportTooLarge, RenderJob
from roadmaps.exports.pdf import sections as sections_module
from roadmaps.exports.pdf.assemble import OutlineEntry, assemble
from roadmaps.exports.pdf.layout import LaidOut, frozen, lay_out, stamp, stylesheet
from roadmaps.exports.pdf.sections import Section, TocEntry, base_context

logger = logging.getLogger(__name__)

AUTO, FULL, SUMMARY = "auto", "full", "summary"
CONTENTS_TRIES = 4  # the contents laid out again until its own page count is stable (1 or 2 tries in practice)


@dataclass
class Placed:
    """A laid-out section in the document: where it starts, its TOC entries."""

    section: Section
    laid: LaidOut


def section_html(section: Section, base: dict) -> str:
    body = render_to_string(section.template, {**base, **section.build()})
    return render_to_string("roadmaps/pdf/section.html", {**base, "section_title": section.title, "body": body})


def plan_html(data: PlanExportData) -> str:
    """Every section of the document in one HTML (the appendix too; no contents): for comparing with WeasyPrint
    alone on a small plan (bench/), never for exports."""
    base = base_context(data)
    parts = [render_to_string(s.template, {**base, **s.build()}) for producer in
             [sections_module.cover, *sections_module.BODY, *sections_module.APPENDIX] for s in producer(data)]
    return render_to_string("roadmaps/pdf/section.html", {**base, "section_title": "", "body": "".join(parts),
                                                          "inline_styles": True})


class PdfBuild:
    """One run of the renderer: lays the sections out in order, checks the memory budget after each, decides on the
    appendix, then writes the contents, the page numbers and the assembled file."""

    def __init__(self, data: PlanExportData, job: RenderJob, directory: Path):
        self.data, self.job, self.directory = data, job, directory
        self.base = base_context(data)
        self.styles = stylesheet(render_to_string("roadmaps/pdf/styles.css", self.base))
        self.body = [s for producer in [sections_module.cover, *sections_module.BODY] for s in producer(data)]
        self.appendix = [s for producer in sections_module.APPENDIX for s in producer(data)]
        self.choice = job.options.get("appendix") or AUTO
        self.page_budget = getattr(settings, "PDF_PAGE_BUDGET", 400)
        total = sum(s.weight for s in self.body) + (sum(s.weight for s in self.appendix) if self.choice != SUMMARY
                                                      else 0)
        self.total_weight, self.done_weight = max(1, total), 0
        self.laid_out = 0

    def lay_out(self, section: Section) -> Placed:
        self.laid_out += 1
        path = self.directory / f"section-{self.laid_out:05d}-{section.key}.pdf"
        laid = lay_out(section_html(section, self.base), path, styles=self.styles, stamped=section.stamped)
        budget = self.job.memory_budget_mib
        if budget and laid.rss_mib > budget:
            raise ExportTooLarge(_(
                "The PDF needed %(used)d MiB of memory while laying out “%(section)s”, over the export budget of "
                "%(budget)d MiB, and was stopped. Ask for the PDF without its appendix (summary), or for the Excel "
                "export; an administrator can raise EXPORT_MEMORY_BUDGET_MIB.")
                % {"used": laid.rss_mib, "section": section.label or section.title, "budget": budget})
        self.done_weight += section.weight
        self.job.progress(min(1.0, self.done_weight / self.total_weight))
        logger.debug("PDF section %s: %d pages, %.0f MiB", section.key, len(laid.pages), laid.rss_mib)
        return Placed(section, laid)

    def build(self, target: Path) -> None:
        with frozen():
            self._build(target)

    def _build(self, target: Path) -> None:
        placed = [self.lay_out(section) for section in self.body]
        appendix, left_out = self._appendix(sum(len(p.laid.pages) for p in placed))
        if appendix or left_out:
            heading = Section("appendix", _("Appendix"), "roadmaps/pdf/_appendix.html",
                              lambda: {"left_out": left_out, "tables": self._inventory()},
                              toc=[TocEntry(1, _("Appendix"), "appendix")], label=_("Appendix"))
            appendix.insert(0, self.lay_out(heading))
        document = placed + appendix
        contents = self._contents(document, [left_out] if left_out else [])
        document.insert(1, contents)
        numbered = [(index, box) for index, box in enumerate(b for p in document for b in p.laid.pages)]
        pages = len(numbered)
        labels = [(f"{_('Page')} {index + 1} {_('of')} {pages}", box.wide) for index, box in numbered if box.stamped]
        stamps = stamp(labels, self.directory)
        entries = [OutlineEntry(e.level, e.title, e.anchor) for p in document for e in p.section.toc]
        assemble([p.laid for p in document], outline=entries, stamps=stamps,
                 stamped=[index for index, box in numbered if box.stamped], target=target, title=self.data.plan["name"])

    def _appendix(self, pages_so_far: int) -> tuple[list[Placed], str]:
        """The appendix's sections, or none and the sentence that says why (the page budget, or the choice)."""
        if not self.appendix:
            return [], ""
        if self.choice == SUMMARY:
            return [], _("This PDF is a summary, as asked: its appendix was left out.")
        placed: list[Placed] = []
        pages = pages_so_far + 2  # the contents and the appendix's heading page, at least
        for section in [*self.appendix, None]:
            if self.choice == AUTO and pages > self.page_budget:  # stop at once: the rest is never laid out
                for done in placed:
                    done.laid.path.unlink(missing_ok=True)
                return [], self._over_budget_sentence()
            if section is not None:
                placed.append(self.lay_out(section))
                pages += len(placed[-1].laid.pages)
        return placed, ""

    def _over_budget_sentence(self) -> str:
        return ngettext(
            "The appendix was left out: with it, this PDF would have gone over its budget of %(budget)d page. Ask "
            "for the PDF with its full appendix to have every row, whatever its length.",
            "The appendix was left out: with it, this PDF would have gone over its budget of %(budget)d pages. Ask "
            "for the PDF with its full appendix to have every row, whatever its length.",
            self.page_budget) % {"budget": self.page_budget}

    def _inventory(self) -> list[dict]:
        """The appendix's tables and their rows, for the sentence that says what was left out."""
        tables: dict[str, dict] = {}
        for section in self.appendix:
            table = tables.setdefault(section.title, {"title": section.title, "rows": 0})
            table["rows"] += section.weight
        return list(tables.values())

    def _contents(self, document: list[Placed], notices: list[str]) -> Placed:
        """The contents, laid out last with every entry's page number: until its own length (which moves every
        page after it) is the one the numbers assumed."""
        own_pages = 1
        for _try in range(CONTENTS_TRIES):
            entries, page = [], 1
            for index, placed in enumerate(document):
                start = page + (own_pages if index > 0 else 0)
                for entry in placed.section.toc:
                    number, _x, _y = placed.laid.anchors.get(entry.anchor, (0, 0, 0))
                    entries.append(TocEntry(entry.level, entry.title, entry.anchor, start + number))
                page += len(placed.laid.pages)
            section = Section("contents", _("Contents"), "roadmaps/pdf/_contents.html",
                              lambda entries=entries: {"entries": entries, "notices": notices}, label=_("Contents"))
            contents = self.lay_out(section)
            if len(contents.laid.pages) == own_pages:
                return contents
            own_pages = len(contents.laid.pages)
        return contents


def render(data: PlanExportData, job: RenderJob | None = None) -> bytes | Path:
    """The plan's PDF. With a job (the export task), written into job.workdir and its path returned; without, as
    bytes (tests, the bench)."""
    if job is not None and job.workdir is not None:
        directory = Path(tempfile.mkdtemp(prefix="sections-", dir=job.workdir))
        target = Path(job.workdir) / "plan.pdf"
        try:
            PdfBuild(data, job, directory).build(target)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return target
    with tempfile.TemporaryDirectory(prefix="plan-pdf-") as workdir:
        target = Path(workdir) / "plan.pdf"
        build_job = job or RenderJob()
        directory = Path(workdir) / "sections"
        directory.mkdir()
        PdfBuild(data, build_job, directory).build(target)
        return target.read_bytes()

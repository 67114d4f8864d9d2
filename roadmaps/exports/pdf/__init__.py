"""The plan as a PDF a manager can read, in the same memory whatever the plan's size.

WeasyPrint keeps a document's whole layout in memory until it is written (about 1.3 MiB per touchpoint of a plan:
a 5,000-touchpoint plan went past 6 GiB). So the document is never laid out whole:

1. sections.py cuts the plan into sections that do not grow with it (the cover; each table in runs of rows; the
   journey maps a few journeys, or part of one, at a time; the heatmaps a few at a time; the appendix's tables).
   BODY and APPENDIX list their producers: adding a section is a producer, a template and a line there.
2. layout.py lays out one section at a time (templates/roadmaps/pdf/section.html around the section's template),
   writes its PDF to a temporary file and keeps only its pages' sizes, where its anchors (ids) are and its links;
   the layout is then released (and the heap trimmed), so the next section starts from the same memory. Each
   section is laid out once: CPU per touchpoint stays constant. The process's resident size is checked against
   EXPORT_MEMORY_BUDGET_MIB after every section: over it, the export fails with a sentence naming the section.
3. document.py then knows every section's page count, so every heading's page number: it lays out the contents
   (the table of contents) last with those numbers, again if its own length moved them (it rarely does), and puts
   it second. The appendix comes last; with the "auto" choice it is left out (and the PDF says so, in the contents
   and on the appendix's page) as soon as the document would go over PDF_PAGE_BUDGET pages.
4. Page numbers: the sections leave the bottom right of their pages empty; once the total N is known, a second
   small pass lays out blank pages holding only "Page n of N", in the same page boxes (200 pages to a document),
   and assemble.py draws each over its page.
5. assemble.py puts the files together with pypdf: the pages in order, the links between sections (the contents,
   the list of journeys) made again as link annotations, and the outline (bookmarks) built from the contents'
   entries, each pointing at its heading. pypdf holds the finished document (compressed streams) until it is
   written, a few MiB per hundred pages, not the layout.

`plan_html` gives the whole body as one HTML, only to compare with WeasyPrint alone on a small plan (bench/).
Everything WeasyPrint loads goes through the locked-down fetcher (fetcher.py); user text reaches the HTML only
through auto-escaping templates and format_html.
"""

from roadmaps.exports.pdf.document import plan_html, render
from roadmaps.exports.pdf.layout import css_string, html_to_pdf

__all__ = ["css_string", "html_to_pdf", "plan_html", "render"]

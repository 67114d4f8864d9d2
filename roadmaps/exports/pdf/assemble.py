"""The sections' PDFs put together with pypdf: pages in order, links between sections, the outline (bookmarks), and
each page's "Page n of N" laid over it from the stamp pass.

A stamp page becomes a form XObject drawn after the page's own content, which is wrapped in q … Q first, so the page's
graphics state (WeasyPrint starts by flipping the y axis) never reaches the stamp. Nothing is decompressed or parsed:
the page's content streams are only listed again, so assembling costs little per page.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, Fit, NameObject

from roadmaps.exports.pdf.layout import LaidOut

PT = 0.75  # PDF points per CSS pixel
STAMP = "/JPPageNumber"


@dataclass
class OutlineEntry:
    level: int
    title: str
    anchor: str


def assemble(parts: list[LaidOut], *, outline: Iterable[OutlineEntry], stamps: list[Path], stamped: list[int],
             target: Path, title: str) -> None:
    """Write the document at `target`: `parts` in order; `stamps` the stamp PDFs whose pages go, in order, onto the
    pages numbered in `stamped` (0-based)."""
    writer = PdfWriter()
    boxes, anchors, links = [], {}, []
    for part in parts:
        offset = len(writer.pages)
        reader = PdfReader(part.path)
        for page in reader.pages:
            writer.add_page(page, excluded_keys=("/Annots",))  # every link is made again below, between sections too
        _forget(writer, reader)
        boxes.extend(part.pages)
        for name, (number, x, y) in part.anchors.items():
            anchors.setdefault(name, (offset + number, x, y))
        links.extend((offset + number, rectangle, anchor) for number, rectangle, anchor in part.links)
    for number, rectangle, anchor in links:
        if anchor in anchors:
            _link(writer, boxes, number, rectangle, anchors[anchor])
    _outline(writer, boxes, outline, anchors)
    _stamp(writer, stamps, stamped)
    writer.add_metadata({"/Title": title, "/Creator": "Journey Planner"})
    with target.open("wb") as handle:
        writer.write(handle)


def _forget(writer: PdfWriter, reader: PdfReader) -> None:
    """pypdf remembers, per page taken from a reader, where it went (to mend links when writing): that would keep
    every section's reader in memory until the end. Links are ours to make (`links`), so it may forget."""
    for key in [key for key in writer._merged_in_pages if key is not None and key.pdf is reader]:
        del writer._merged_in_pages[key]


def _destination(boxes, anchor) -> tuple[int, Fit]:
    number, x, y = anchor
    return number, Fit.xyz(left=x * PT, top=boxes[number].height * PT - y * PT)


def _link(writer, boxes, number, rectangle, anchor) -> None:
    x, y, width, height = rectangle
    page_height = boxes[number].height * PT
    target, fit = _destination(boxes, anchor)
    writer.add_annotation(page_number=number, annotation=Link(
        rect=(x * PT, page_height - (y + height) * PT, (x + width) * PT, page_height - y * PT), border=[0, 0, 0],
        target_page_index=target, fit=fit))


def _outline(writer, boxes, entries: Iterable[OutlineEntry], anchors) -> None:
    parents: list = [None]
    for entry in entries:
        if entry.anchor not in anchors:
            continue
        number, fit = _destination(boxes, anchors[entry.anchor])
        del parents[entry.level:]  # parents[level - 1] is the entry's parent (None at the top)
        parents.append(writer.add_outline_item(title=entry.title, page_number=number, parent=parents[-1],
                                                       fit=fit))


def _stamp(writer: PdfWriter, stamps: list[Path], stamped: list[int]) -> None:
    numbers = iter(stamped)
    open_ = writer._add_object(_stream(b"q\n"))
    close = writer._add_object(_stream(f"\nQ\nq {STAMP} Do Q\n".encode()))
    for path in stamps:
        reader = PdfReader(path)
        for stamp_page in reader.pages:
            page = writer.pages[next(numbers)]
            form = _stream(stamp_page.get_contents().get_data()).flate_encode()
            form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                         NameObject("/BBox"): stamp_page.mediabox,
                         NameObject("/Resources"): stamp_page["/Resources"].clone(writer)})
            resources = DictionaryObject(page["/Resources"].get_object())  # a copy: pages may share theirs
            xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
            xobjects[NameObject(STAMP)] = writer._add_object(form)
            resources[NameObject("/XObject")] = xobjects
            page[NameObject("/Resources")] = resources
            contents = page["/Contents"]
            kept = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([open_, *kept, close])
        del reader


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream

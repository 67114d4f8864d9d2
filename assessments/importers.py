"""CSV import of customer feedback: one streaming pass that checks every row and inserts the good ones in batches.

The file is read once, line by line (a csv.reader over a text wrapper of the upload), so memory stays flat
whatever its size: only the current batch of rows (services.feedback_bulk_create) and at most MAX_STORED_ERRORS
errors are held. Every row is checked and every error reported (line, column, reason). All-or-nothing and one pass
go together because the inserts happen inside one transaction that is rolled back at the end when any row was bad.

Columns (first line, any order, case-insensitive): touchpoint (its id), kind (nps, ces or csat), score (a whole
number on the kind's scale), date (YYYY-MM-DD or DD/MM/YYYY), and optionally source and verbatim. UTF-8 with or
without a byte-order mark; comma, semicolon or tab as the delimiter.
"""

import csv
import io
import itertools
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments import services
from assessments.models import SCALES, FeedbackResponse
from planning.models import Touchpoint
from tenancy.access import require_plan_access

MAX_STORED_ERRORS = 1000
MAX_VALUE_SHOWN = 40
REQUIRED = ("touchpoint", "kind", "score", "date")
OPTIONAL = ("source", "verbatim")
COLUMNS = REQUIRED + OPTIONAL
# Other spellings people use for the same columns (the API field names, and French headers).
ALIASES = {
    "touchpoint_id": "touchpoint", "point_de_contact": "touchpoint", "responded_on": "date", "type": "kind",
    "note": "score", "commentaire": "verbatim", "comment": "verbatim",
}
DELIMITERS = (",", ";", "\t")
NOT_UTF8 = "\ufffd"
SOURCE_MAX_LENGTH = FeedbackResponse._meta.get_field("source").max_length
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", gettext_lazy("All or nothing: import nothing if any row has an error")
    VALID_ROWS = "valid", gettext_lazy("Valid rows only: import the good rows and skip the bad ones")


@dataclass
class RowError:
    """One problem in one cell (or in the whole line when column is empty)."""

    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    mode: str
    rows: int = 0  # data rows read, blank lines left out
    imported: int = 0
    rejected_rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_STORED_ERRORS of error_count
    file_error: str = ""  # the file as a whole cannot be read (empty, missing column, not UTF-8...)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(RowError(line, column, message))

    def as_dict(self) -> dict:
        return asdict(self) | {"errors_not_shown": self.errors_not_shown, "ok": self.ok}

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        names = {"mode", "rows", "imported", "rejected_rows", "error_count", "file_error"}
        result = cls(**{name: data[name] for name in names if name in data})
        result.errors = [RowError(**error) for error in data.get("errors", [])]
        return result


class _RollBack(Exception):
    pass


def feedback_import(*, plan, actor, file, mode: str = ImportMode.ALL_OR_NOTHING,
                    batch_size: int = 2000) -> ImportResult:
    """Import a CSV file of responses into `plan`; `file` is a binary file (an upload) or a text stream.

    All or nothing (the default): if any row is wrong, nothing is imported. Valid rows only: the good rows are
    imported and the bad ones reported. A file that cannot be read to the end imports nothing in either mode.
    """
    require_plan_access(actor, plan)
    mode = ImportMode(mode)
    result = ImportResult(mode=mode.value)
    # The plan's touchpoints, once: a touchpoint of another plan or organisation is simply not in this set, so it
    # gets the same answer as an id that does not exist.
    touchpoint_ids = set(Touchpoint.objects.filter(plan=plan).values_list("pk", flat=True))
    text = file if isinstance(file, io.TextIOBase) else _text(file)
    stop_inserting_on_error = mode != ImportMode.VALID_ROWS
    try:
        with transaction.atomic():
            rows = _valid_rows(text, touchpoint_ids, result, stop_inserting_on_error)
            created = services.feedback_bulk_create(plan=plan, actor=actor, rows=rows, batch_size=batch_size)
            if result.file_error or (result.error_count and stop_inserting_on_error):
                raise _RollBack
    except _RollBack:
        created = 0
    finally:
        if text is not file:
            text.detach()  # leave the caller's file open
    result.imported = created
    return result


def _text(file) -> io.TextIOWrapper:
    # Bytes that are not UTF-8 become U+FFFD, reported on their line by _check, rather than stopping the import.
    return io.TextIOWrapper(file, encoding="utf-8-sig", errors="replace", newline="")


def _valid_rows(text, touchpoint_ids: set[int], result: ImportResult, stop_inserting_on_error: bool):
    """Yield each good row as model fields, recording the errors of the bad ones in `result` on the way."""
    first_line = text.readline()
    if not first_line.strip():
        result.file_error = _("The file is empty: its first line must name the columns %s.") % ", ".join(COLUMNS)
        return
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(itertools.chain([first_line], text), delimiter=delimiter)
    try:
        header = next(reader)
        positions = _columns(header, result)
        if positions is None:
            return
        width = len(header)
        today_and_a_day = timezone.localdate() + timedelta(days=1)
        previous_line = reader.line_num
        for cells in reader:
            line, previous_line = previous_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            result.rows += 1
            row = _check(cells, line, positions, width, touchpoint_ids, today_and_a_day, result)
            if row is None:
                result.rejected_rows += 1
            elif not (stop_inserting_on_error and result.error_count):
                yield row
    except csv.Error as error:
        result.file_error = _("Line %(line)s cannot be read as CSV: %(reason)s.") % {
            "line": reader.line_num, "reason": error}


def _columns(header: list[str], result: ImportResult) -> dict | None:
    """Where each column is ({name: index}), or None after recording a file error."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = re.sub(r"[\s-]+", "_", cell.strip().lstrip("\ufeff").lower())
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            continue  # extra columns are allowed and ignored
        if name in positions:
            result.file_error = _("The column “%s” appears twice in the first line.") % name
            return None
        positions[name] = index
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        result.file_error = ngettext(
            "Missing column: %(missing)s. The first line must name the columns %(required)s (source and verbatim "
            "are optional).",
            "Missing columns: %(missing)s. The first line must name the columns %(required)s (source and verbatim "
            "are optional).",
            len(missing),
        ) % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED)}
        return None
    return positions


def _shown(value: str) -> str:
    return value if len(value) <= MAX_VALUE_SHOWN else value[: MAX_VALUE_SHOWN - 1] + "…"


def _check(cells, line, positions, width, touchpoint_ids, latest_date, result) -> dict | None:
    """The row as model fields, or None after recording every problem it has."""
    errors_before = result.error_count
    # Bytes that are not UTF-8 were decoded as U+FFFD: say so on the line rather than import mangled text.
    if any(NOT_UTF8 in cell for cell in cells):
        result.add_error(line, "", _("This line is not valid UTF-8 text (the file may be in Windows-1252 or "
                                     "Latin-1): save the file as “CSV UTF-8” and import it again."))
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        result.add_error(line, "", _("This line has %(cells)s cells but the first line names %(width)s columns: put "
                                     "text that contains the delimiter between double quotes.")
                         % {"cells": len(cells), "width": width})

    def cell(name):
        index = positions.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    touchpoint_id = _touchpoint(cell("touchpoint"), line, touchpoint_ids, result)
    kind, score = _kind_and_score(cell("kind").lower(), cell("score"), line, result)
    responded_on = _date(cell("date"), line, latest_date, result)
    source = cell("source")
    if len(source) > SOURCE_MAX_LENGTH:
        result.add_error(line, "source", _("The source is longer than %s characters.") % SOURCE_MAX_LENGTH)
    if result.error_count > errors_before:
        return None
    return {"touchpoint_id": touchpoint_id, "kind": kind, "score": score, "responded_on": responded_on,
            "source": source, "verbatim": cell("verbatim")}


def _touchpoint(text: str, line: int, touchpoint_ids: set[int], result: ImportResult) -> int | None:
    touchpoint_id = int(text) if text.isascii() and text.isdigit() else None
    if not text:
        result.add_error(line, "touchpoint", _("The touchpoint is missing."))
    elif touchpoint_id is None:
        result.add_error(line, "touchpoint", _("“%s” is not a touchpoint id (a whole number).") % _shown(text))
    elif touchpoint_id not in touchpoint_ids:
        result.add_error(line, "touchpoint", _("There is no touchpoint %s in this plan.") % touchpoint_id)
    return touchpoint_id


def _kind_and_score(kind: str, text: str, line: int, result: ImportResult) -> tuple[str, int | None]:
    if kind not in SCALES:
        result.add_error(line, "kind", _("Unknown kind “%s”: use nps, ces or csat.") % _shown(kind) if kind
                         else _("The kind is missing: use nps, ces or csat."))
    score = int(text) if text.isascii() and text.isdigit() else None
    if not text:
        result.add_error(line, "score", _("The score is missing."))
    elif score is None:
        result.add_error(line, "score", _("“%s” is not a whole number.") % _shown(text))
    elif kind in SCALES and not SCALES[kind][0] <= score <= SCALES[kind][1]:
        low, high = SCALES[kind]
        result.add_error(line, "score", _("%(score)s is outside the %(kind)s scale: a whole number from %(low)s to "
                                          "%(high)s.") % {"score": score, "kind": kind.upper(), "low": low,
                                                          "high": high})
    return kind, score


def _date(text: str, line: int, latest: date, result: ImportResult) -> date | None:
    day = parse_date(text) if len(text) <= 10 else None  # longer is never a date (and is not cached)
    if not text:
        result.add_error(line, "date", _("The date is missing."))
    elif day is None:
        result.add_error(line, "date", _("“%s” is not a date: use YYYY-MM-DD or DD/MM/YYYY.") % _shown(text))
    elif day > latest:
        result.add_error(line, "date", _("%s is in the future.") % text)
    return day


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, or DD/MM/YYYY as French spreadsheets write it; None if it is not a real date."""
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := FRENCH_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None

"""Import of mentions from the CSV or XLSX exports of listening tools: one streaming pass, as the feedback import
(assessments.importers) does it: every row checked and every error reported (line, column, reason), the good rows
written in batches (listening.services.mentions_bulk_write) inside one transaction, rolled back at the end in
all-or-nothing mode when any row was bad. Memory holds one batch and at most MAX_STORED_ERRORS errors.

Columns are found by name (the first line; case, accents, spaces and hyphens ignored), through ALIASES for the
headers listening tools write (Talkwalker, Brandwatch, Meltwater, Mention, Digimind exports), or through a mapping
given on upload ({field: header in the file}) for any other header.
"""

import csv
import io
import itertools
import re
from datetime import date, datetime, timedelta

import openpyxl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.importers import DELIMITERS, ImportMode, ImportResult, parse_date
from assessments.sentiment import language
from assessments.text import fold
from listening import services
from listening.models import Competitor, Mention
from planning.models import Channel, Persona, Touchpoint
from tenancy.access import require_plan_access

NOT_UTF8 = "\ufffd"
MAX_VALUE_SHOWN = 40
FIELDS = {
    "date": gettext_lazy("When it was published: 2026-03-31, 31/03/2026, with or without a time."),
    "channel": gettext_lazy("The name of one of the organisation's channels (or choose a channel for every row)."),
    "text": gettext_lazy("What was said."),
    "source": gettext_lazy("The site or network (Twitter, a forum, a review site…), 120 characters at most."),
    "author": gettext_lazy("Who said it."),
    "reach": gettext_lazy("The author's followers or audience: a whole number (12 500, 12k and 1.2M are read)."),
    "url": gettext_lazy("The address of the post (http or https)."),
    "language": gettext_lazy("fr, en… (guessed from the text when empty)."),
    "sentiment": gettext_lazy("The tool's sentiment: positive, neutral or negative (kept beside ours)."),
    "tags": gettext_lazy("Tags separated by commas or |: new names become tags of the organisation."),
    "competitor": gettext_lazy("The name of one of the plan's competitors, when the mention is about one."),
    "touchpoint": gettext_lazy("The id of a touchpoint of the plan (from the touchpoint list)."),
    "persona": gettext_lazy("The name of a persona of the plan."),
    "external_id": gettext_lazy("The tool's id of the mention: importing it again updates it instead of adding it."),
}
REQUIRED = ("date", "text")
ALIASES = {
    "published": "date", "published_date": "date", "publication_date": "date", "date_published": "date",
    "created_at": "date", "mentioned_on": "date", "date_de_publication": "date",
    "canal": "channel", "media_type": "channel", "page_type": "channel", "content_source": "channel",
    "content": "text", "full_text": "text", "snippet": "text", "message": "text", "body": "text", "contenu": "text",
    "texte": "text", "mention": "text", "post": "text",
    "site": "source", "domain": "source", "network": "source", "reseau": "source", "media": "source",
    "author_name": "author", "screen_name": "author", "username": "author", "auteur": "author", "user": "author",
    "followers": "reach", "author_followers": "reach", "audience": "reach", "author_reach": "reach",
    "potential_reach": "reach", "abonnes": "reach", "portee": "reach",
    "link": "url", "lien": "url", "permalink": "url",
    "lang": "language", "langue": "language",
    "sentiment_label": "sentiment", "tonalite": "sentiment", "tone": "sentiment",
    "tag": "tags", "labels": "tags", "etiquettes": "tags",
    "brand": "competitor", "concurrent": "competitor",
    "touchpoint_id": "touchpoint", "point_de_contact": "touchpoint",
    "id": "external_id", "mention_id": "external_id", "post_id": "external_id", "resource_id": "external_id",
    "identifiant": "external_id",
}
SENTIMENTS = {"positive": "positive", "positif": "positive", "pos": "positive", "negative": "negative",
              "negatif": "negative", "neg": "negative", "neutral": "neutral", "neutre": "neutral", "mixed": "neutral",
              "mixte": "neutral", "": ""}
LIMITS = {name: Mention._meta.get_field(name).max_length for name in ("source", "author", "url", "language",
                                                                       "external_id")}
REACH = re.compile(r"(\d+(?:[.,]\d+)?)([km]?)")
TAG_SEPARATORS = re.compile(r"[,|;]")


def header_key(cell) -> str:
    return re.sub(r"[\s\-.]+", "_", fold(str(cell or "")).strip())


class MentionImportResult(ImportResult):
    """The feedback import's result, with how many of the imported mentions updated one already there."""

    updated: int = 0

    def as_dict(self) -> dict:
        return super().as_dict() | {"updated": self.updated}

    @classmethod
    def from_dict(cls, data: dict) -> "MentionImportResult":
        result = super().from_dict(data)
        result.updated = data.get("updated", 0)
        return result


class _RollBack(Exception):
    pass


def mention_import(*, plan, actor, file, filename: str = "", mode: str = ImportMode.ALL_OR_NOTHING,
                   mapping: dict | None = None, default_channel=None, id_source: str = "",
                   batch_size: int = services.BATCH) -> MentionImportResult:
    """Import a CSV or XLSX file (by its name's extension) of mentions into `plan`.

    `mapping` names the file's header for any field (the others are found by name); `default_channel` is used
    for rows without a channel; `id_source` is the external source of the ids (IMPORT_SOURCE by default).
    """
    require_plan_access(actor, plan)
    mode = ImportMode(mode)
    result = MentionImportResult(mode=mode.value)
    checker = _Checker(plan, result, default_channel, (id_source or services.IMPORT_SOURCE).strip()[:50])
    stop_inserting_on_error = mode != ImportMode.VALID_ROWS
    written = {"created": 0, "updated": 0}
    try:
        with transaction.atomic():
            lines = _xlsx_lines(file, result) if filename.lower().endswith(".xlsx") else _csv_lines(file, result)
            rows = _valid_rows(lines, checker, mapping or {}, result, stop_inserting_on_error)
            written = services.mentions_bulk_write(plan=plan, actor=actor, rows=rows, batch_size=batch_size)
            if result.file_error or (result.error_count and stop_inserting_on_error):
                raise _RollBack
    except _RollBack:
        written = {"created": 0, "updated": 0}
    result.imported = written["created"] + written["updated"]
    result.updated = written["updated"]
    return result


# Reading the file: (line number, cells as text) for the header and every row -----------------------------------


def _csv_lines(file, result):
    text = file if isinstance(file, io.TextIOBase) else io.TextIOWrapper(file, encoding="utf-8-sig",
                                                                         errors="replace", newline="")
    try:
        first_line = text.readline()
        if not first_line.strip():
            return
        delimiter = max(DELIMITERS, key=first_line.count)
        reader = csv.reader(itertools.chain([first_line], text), delimiter=delimiter)
        previous = 0
        try:
            for cells in reader:
                yield previous + 1, cells
                previous = reader.line_num
        except csv.Error as error:
            result.file_error = _("Line %(line)s cannot be read as CSV: %(reason)s.") % {
                "line": reader.line_num, "reason": error}
    finally:
        if text is not file:
            text.detach()  # leave the caller's file open


def _xlsx_lines(file, result):
    """The first sheet, row by row (openpyxl's read-only mode streams it: memory stays flat)."""
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (any unreadable workbook is the same answer to the person)
        result.file_error = _("This file cannot be read as an Excel workbook (.xlsx).")
        return
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, [_xlsx_text(value) for value in values]
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Checking ------------------------------------------------------------------------------------------------------


def _valid_rows(lines, checker, mapping: dict, result, stop_inserting_on_error: bool):
    positions = None
    for line, cells in lines:
        if positions is None:
            positions = _columns(cells, mapping, checker, result)
            if positions is None:
                return
            width = len(cells)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        result.rows += 1
        row = checker.check(cells, line, positions, width)
        if row is None:
            result.rejected_rows += 1
        elif not (stop_inserting_on_error and result.error_count):
            yield row
    if positions is None and not result.file_error:
        result.file_error = _("The file is empty: its first line must name the columns.")


def _columns(header: list[str], mapping: dict, checker, result) -> dict | None:
    """Where each field is ({field: index}), or None after recording a file error."""
    keys = [header_key(cell.lstrip("\ufeff")) for cell in header]
    positions: dict[str, int] = {}
    for name, wanted in mapping.items():
        if not wanted:
            continue
        if header_key(wanted) not in keys:
            result.file_error = _("The column “%(column)s” chosen for %(field)s is not in the first line.") % {
                "column": _shown(wanted), "field": name}
            return None
        positions[name] = keys.index(header_key(wanted))
    taken = set(positions.values())
    for index, key in enumerate(keys):
        name = ALIASES.get(key, key)
        if name not in FIELDS or name in positions or index in taken:
            continue  # extra columns are allowed and ignored
        positions[name] = index
    required = [*REQUIRED, *(() if checker.default_channel else ("channel",))]
    missing = [name for name in required if name not in positions]
    if missing:
        result.file_error = ngettext(
            "Missing column: %(missing)s. Name it in the first line or choose its column on the form.",
            "Missing columns: %(missing)s. Name them in the first line or choose their columns on the form.",
            len(missing)) % {"missing": ", ".join(missing)}
        return None
    return positions


def _shown(value: str) -> str:
    return value if len(value) <= MAX_VALUE_SHOWN else value[: MAX_VALUE_SHOWN - 1] + "…"


def parse_reach(text: str) -> int | None:
    """12500, 12 500, 12,500, 12.5k, 1.2M; None when it is not a count."""
    compact = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").lower()
    if compact.isdigit():
        return int(compact)
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+", compact):
        return int(re.sub(r"[,.]", "", compact))
    match = REACH.fullmatch(compact)
    if match and match.group(2):
        return round(float(match.group(1).replace(",", ".")) * (1000 if match.group(2) == "k" else 1_000_000))
    return None


def parse_when(text: str) -> date | None:
    """The date part of a date or date-time as tools write it (ISO, with T or a space; DD/MM/YYYY)."""
    day = re.split(r"[T ]", text.strip(), maxsplit=1)[0]
    return parse_date(day) if len(day) <= 10 else None


class _Checker:
    """The plan's channels, competitors, touchpoints and personas, read once; then one row at a time."""

    def __init__(self, plan, result, default_channel, id_source: str):
        self.result, self.default_channel, self.id_source = result, default_channel, id_source
        channels = Channel.objects.filter(organisation_id=plan.organisation_id).values_list("pk", "name")
        self.channels = {fold(name): pk for pk, name in channels}
        self.competitors = {fold(name): pk for pk, name in
                            Competitor.objects.filter(plan=plan).values_list("pk", "name")}
        self.personas = {fold(name): pk for pk, name in Persona.objects.filter(plan=plan).values_list("pk", "name")}
        self.touchpoints = set(Touchpoint.objects.filter(plan=plan).values_list("pk", flat=True))
        self.latest = timezone.localdate() + timedelta(days=1)

    def error(self, line, column, message) -> None:
        self.result.add_error(line, column, message)

    def check(self, cells, line, positions, width) -> dict | None:
        result = self.result
        errors_before = result.error_count
        if any(NOT_UTF8 in cell for cell in cells):
            self.error(line, "", _("This line is not valid UTF-8 text (the file may be in Windows-1252 or Latin-1): "
                                   "save the file as “CSV UTF-8” and import it again."))
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            self.error(line, "", _("This line has %(cells)s cells but the first line names %(width)s columns: put "
                                   "text that contains the delimiter between double quotes.")
                       % {"cells": len(cells), "width": width})

        def cell(name):
            index = positions.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row = {"text": cell("text"), "source": cell("source"), "author": cell("author"),
               "url": cell("url"), "language": cell("language").lower(), "external_id": cell("external_id")}
        if not row["text"]:
            self.error(line, "text", _("The text is missing."))
        text = cell("date")
        row["mentioned_on"] = parse_when(text) if text else None
        if not text:
            self.error(line, "date", _("The date is missing."))
        elif row["mentioned_on"] is None:
            self.error(line, "date", _("“%s” is not a date: use YYYY-MM-DD or DD/MM/YYYY.") % _shown(text))
        elif row["mentioned_on"] > self.latest:
            self.error(line, "date", _("%s is in the future.") % text)
        row["channel_id"] = self._named(line, "channel", cell("channel"), self.channels,
                                        _("There is no channel “%s” in this organisation."),
                                        self.default_channel.pk if self.default_channel else None)
        if not row["channel_id"] and not cell("channel"):
            self.error(line, "channel", _("The channel is missing."))
        row["competitor_id"] = self._named(line, "competitor", cell("competitor"), self.competitors,
                                           _("“%s” is not one of the plan's competitors: add it to the list first."))
        row["persona_id"] = self._named(line, "persona", cell("persona"), self.personas,
                                        _("There is no persona “%s” in this plan."))
        row["touchpoint_id"] = self._touchpoint(line, cell("touchpoint"))
        reach = cell("reach")
        row["author_reach"] = parse_reach(reach) if reach else 0
        if row["author_reach"] is None:
            self.error(line, "reach", _("“%s” is not a number of followers.") % _shown(reach))
        sentiment = fold(cell("sentiment"))
        row["imported_sentiment"] = SENTIMENTS.get(sentiment)
        if row["imported_sentiment"] is None:
            self.error(line, "sentiment", _("Unknown sentiment “%s”: use positive, neutral or negative.")
                       % _shown(cell("sentiment")))
        if row["url"] and not re.match(r"https?://\S+$", row["url"]):
            self.error(line, "url", _("“%s” is not a web address (http:// or https://).") % _shown(row["url"]))
        for name, limit in LIMITS.items():
            if len(row[name]) > limit:
                self.error(line, name, _("Longer than %s characters.") % limit)
        if result.error_count > errors_before:
            return None
        row["tags"] = [tag.strip() for tag in TAG_SEPARATORS.split(cell("tags")) if tag.strip()]
        row["external_source"] = self.id_source if row["external_id"] else ""
        if not row["language"]:
            row["language"] = language(row["text"])
        return row

    def _named(self, line, column, text, known: dict, message, default=None) -> int | None:
        if not text:
            return default
        pk = known.get(fold(text))
        if pk is None:
            self.error(line, column, message % _shown(text))
        return pk

    def _touchpoint(self, line, text) -> int | None:
        if not text:
            return None
        pk = int(text) if text.isascii() and text.isdigit() else None
        if pk is None or pk not in self.touchpoints:
            self.error(line, "touchpoint", _("There is no touchpoint %s in this plan.") % _shown(text))
        return pk

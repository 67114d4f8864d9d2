"""The plan as an Excel workbook, one sheet per table (openpyxl in write-only mode, so memory stays flat).

Every text cell is written as a string, never as a formula, whatever it starts with; text that looks like a formula
also gets Excel's quote prefix, so editing the cell later does not turn it into one.
"""

import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.spreadsheet_formulas import could_be_formula
from roadmaps.exports.gather import PlanExportData
from roadmaps.exports.tables import plan_tables


def text_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: force plain text
    if could_be_formula(text):
        cell.quotePrefix = True
    return cell


def xlsx_cell(sheet, value):
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, datetime) and value.tzinfo is not None:  # Excel has no time zones: local time
        value = timezone.localtime(value).replace(tzinfo=None)
    return WriteOnlyCell(sheet, value=value)


def render(data: PlanExportData) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in plan_tables(data):
        sheet = workbook.create_sheet(title=table.name[:31])
        header = []
        for name in table.headers:
            cell = text_cell(sheet, name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

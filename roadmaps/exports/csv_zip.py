"""The plan as CSV files, one per table, in a zip. Text that a spreadsheet could run as a formula is neutralised."""

import csv
import io
import zipfile
from datetime import date, datetime

from core.spreadsheet_formulas import neutralise
from roadmaps.exports.gather import PlanExportData
from roadmaps.exports.tables import plan_tables


def csv_cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def table_csv(headers: list[str], rows: list[list]) -> bytes:
    """One table as UTF-8 CSV with a byte-order mark (so spreadsheet software reads the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def render(data: PlanExportData) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in plan_tables(data):
            archive.writestr(f"{table.name}.csv", table_csv(table.headers, table.rows))
    return output.getvalue()

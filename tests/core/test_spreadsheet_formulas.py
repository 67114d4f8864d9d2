"""Formula neutralisation for spreadsheet cells (core.spreadsheet_formulas), and its use in the CSV and XLSX exports."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from core.spreadsheet_formulas import could_be_formula, neutralise
from planning.models import Persona
from roadmaps.exports import csv_zip, xlsx
from roadmaps.exports.gather import gather
from tests.roadmaps.test_export_support import build_plan

CASES = [
    # text, neutralised
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"),
    ("\rCR", "'\rCR"),
    ("\n=1", "'\n'=1"),
    (" =1+1", "' =1+1"),  # leading blanks
    ("   -2", "'   -2"),
    ("\u00a0=1", "'\u00a0=1"),  # no-break space
    ("\u200b+1", "'\u200b+1"),  # zero-width space
    ("\x01=1", "'\x01=1"),  # control character
    ("\ufeff=1", "'\ufeff=1"),  # byte-order mark
    ("＝1+1", "'＝1+1"),  # full-width forms
    ("＋1", "'＋1"),
    ("－1", "'－1"),
    ("＠SUM(A1)", "'＠SUM(A1)"),
    ("﹦1", "'﹦1"),  # small form
    ("−1", "'−1"),  # minus sign
    ("x;=1+1", "x;'=1+1"),  # after a separator: French Excel splits on ";"
    ("x,=1+1", "x,'=1+1"),
    ("x\t@x", "x\t'@x"),
    ("x;  ＝1", "x;  '＝1"),
    ("a;b;-c", "a;b;'-c"),
    ("=a;=b", "'=a;'=b"),
    ("x\r\n+1", "x\r\n'+1"),
]
SAFE = ["Léa", "a-b", "e-mail@example.com", "x;y", "1;2", "Price 10 - 20", "C++", "", "  ", "a; b"]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_text_a_spreadsheet_could_evaluate_gets_a_quote_before_each_formula(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize("text", SAFE)
def test_plain_text_is_left_as_it_is(text):
    assert neutralise(text) == text
    assert not could_be_formula(text)


@pytest.mark.parametrize("text", [" =1", "＝1", "\u00a0+1", "\tx"])
def test_a_cell_that_starts_like_a_formula_once_trimmed_could_be_one(text):
    assert could_be_formula(text)


@pytest.mark.django_db
def test_the_csv_and_xlsx_exports_defuse_formulas_behind_blanks_separators_and_full_width_signs(plan, team):
    build_plan(plan, team=team)
    Persona.objects.filter(plan=plan, name__startswith="Léa").update(name="x;=1+1", quote=" ＝HYPERLINK(1)")
    data = gather(plan)

    with zipfile.ZipFile(io.BytesIO(csv_zip.render(data))) as archive:
        personas = archive.read("personas.csv").decode("utf-8-sig")
    assert "x;'=1+1" in personas and "x;=1+1" not in personas
    assert "' ＝HYPERLINK(1)" in personas

    sheet = load_workbook(io.BytesIO(xlsx.render(data)))["personas"]
    quoted = {cell.value: cell.quotePrefix for row in sheet.iter_rows() for cell in row
              if cell.value in ("x;=1+1", " ＝HYPERLINK(1)")}
    assert quoted == {"x;=1+1": False, " ＝HYPERLINK(1)": True}  # a typed text cell is never split or evaluated

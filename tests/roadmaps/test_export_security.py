"""The PDF renderer loads nothing but our static files and data: URLs; spreadsheets never receive a live formula."""

import io
import socket
import threading
import zipfile

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook
from weasyprint import HTML

from core.spreadsheet_formulas import neutralise
from planning.models import Persona
from roadmaps.exports import csv_zip, gather, xlsx
from roadmaps.exports.fetcher import BASE_URL, FetchRefused, StaticOnlyFetcher, static_file
from roadmaps.exports.pdf import html_to_pdf
from roadmaps.models import Export
from roadmaps.tasks import plan_export_task
from tests.roadmaps.test_export_support import build_plan, embedded_files, pdftotext, poppler_available

PASSWD_MARKER = "root:x:0:0"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def poppler():
    if not poppler_available():
        pytest.skip("poppler-utils (pdftotext, pdfdetach) is not installed")


class Listener:
    """A TCP socket on a free local port that counts the connections it receives."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def hostile_markup(port: int) -> str:
    return (f'<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd"> '
            f'<a rel="attachment" href="file:///etc/hostname">x</a> '
            f'<style>@import url(http://127.0.0.1:{port}/x.css);</style> '
            f'<img src="http://127.0.0.1:{port}/pixel.png"> http://127.0.0.1:{port}/see-this')


def test_hostile_persona_text_is_printed_not_fetched(plan, team, people, listener, poppler, tmp_path):
    build_plan(plan, team=team, persona_description=hostile_markup(listener.port))
    Persona.objects.filter(plan=plan).update(goals=f"@import url(http://127.0.0.1:{listener.port}/y.css);")
    export = Export.objects.create(plan=plan, format="pdf", requested_by=people["viewer"])
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "succeeded", export.error
    pdf = default_storage.open(export.file.name).read()
    text = pdftotext(pdf, tmp_path)
    assert PASSWD_MARKER not in text
    assert '<img src="file:///etc/passwd">' in text  # shown as the text the user typed: escaped, not parsed
    assert embedded_files(pdf, tmp_path) == []
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    assert listener.connections == 0


def test_the_fetcher_refuses_files_and_the_network_even_in_raw_html(listener, poppler, tmp_path):
    """Defence in depth: even markup that bypassed escaping loads nothing."""
    fetcher = StaticOnlyFetcher()
    html = f"<html><body><p>Report</p>{hostile_markup(listener.port)}</body></html>"
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert PASSWD_MARKER not in pdftotext(pdf, tmp_path)
    assert embedded_files(pdf, tmp_path) == []
    assert listener.connections == 0
    assert "file:///etc/passwd" in fetcher.refused
    assert f"http://127.0.0.1:{listener.port}/x.css" in fetcher.refused


def test_without_the_fetcher_the_same_html_would_leak(listener, poppler, tmp_path):
    """The control that shows the two tests above can fail: WeasyPrint's default fetcher attaches the file
    and connects to the listener."""
    html = f"<html><body><p>Report</p>{hostile_markup(listener.port)}</body></html>"
    pdf = HTML(string=html, base_url=BASE_URL).write_pdf()
    assert embedded_files(pdf, tmp_path) != []
    assert listener.connections > 0


def test_static_files_and_data_urls_are_served(tmp_path):
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch(f"{BASE_URL}static/css/app.css")
    assert css.content_type == "text/css" and b"{" in css.read()
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAA"
             "SUVORK5CYII=")
    assert fetcher.fetch(pixel).read().startswith(b"\x89PNG")
    assert fetcher.refused == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1/",
    "https://127.0.0.1/static/css/app.css",
    "https://example.com/static/css/app.css",
    f"{BASE_URL}static/../config/settings/base.py",
    f"{BASE_URL}static/%2e%2e/config/settings/base.py",
    f"{BASE_URL}media/personas/photo.png",
    "ftp://example.com/x",
    "javascript:alert(1)",
])
def test_anything_else_is_refused(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_static_paths_cannot_escape_the_static_directories():
    assert static_file("css/app.css")
    for path in ("../manage.py", "/etc/passwd", "css/../../manage.py", "", "css\\..\\x"):
        assert static_file(path) is None


# Spreadsheets ------------------------------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text", [FORMULA, "+1+2", "-1+2", "@SUM(A1)", "\tTab", "\rCR"])
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Léa") == "Léa"


def test_a_formula_in_user_text_is_neutralised_in_csv_and_xlsx(plan, team):
    build_plan(plan, team=team)
    Persona.objects.filter(plan=plan, name__startswith="Léa").update(name=FORMULA, quote="-2+3")
    data = gather(plan)

    with zipfile.ZipFile(io.BytesIO(csv_zip.render(data))) as archive:
        personas = archive.read("personas.csv").decode("utf-8-sig")
        touchpoints = archive.read("touchpoints.csv").decode("utf-8-sig")
    assert "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" in personas
    assert ",'-2+3," in personas
    assert "\n" + FORMULA not in personas and "," + FORMULA not in personas
    assert ",-" in touchpoints or ",1," in touchpoints  # numbers (a negative gap) stay numbers

    content = xlsx.render(data)
    sheet = load_workbook(io.BytesIO(content))["personas"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)  # no formula anywhere in the workbook

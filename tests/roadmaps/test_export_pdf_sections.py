"""The PDF laid out in sections and put together: page numbers, contents, links and bookmarks right across sections;
several sections of one kind; the page budget's summary; the memory budget's clean failure; time limits that grow
with the plan. Read back with pypdf (text of each page, outline, link annotations)."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from roadmaps import services
from roadmaps.exports import gather
from roadmaps.exports.jobs import RenderJob, time_limits
from roadmaps.exports.pdf import document, render, sections
from roadmaps.exports.pdf.assemble import STAMP
from roadmaps.exports.sweep import exports_stalled_fail
from roadmaps.models import Export
from roadmaps.tasks import plan_export_task
from tests.roadmaps.test_export_support import PERSONAS, TOP_ITEM, URLCONF, build_plan
from tests.support import fields

EVALUATION_ROW = "Customer service: 1 · 5 / 4"  # a row of the appendix's "Every evaluated touchpoint"
EXTRA = 45  # touchpoints beyond build_plan's two: with the small ROWS below, several sections of each kind


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def small_sections(monkeypatch):
    """Sections of a few rows, so a test plan needs several of the same kind (as a 5,000-touchpoint plan does)."""
    monkeypatch.setattr(sections, "ROWS", dict(sections.ROWS, journey_cards=12, evaluations=2, roadmap=1, heatmaps=1))
    monkeypatch.setattr(sections, "CARDS_PER_CELL", 4)
    monkeypatch.setattr(sections, "ROADMAP_TOP", 2)


@pytest.fixture
def big(plan, team, small_sections):
    build_plan(plan, team=team, extra_touchpoints=EXTRA)
    return plan


def pages_text(pdf: bytes, tmp_path) -> tuple[PdfReader, list[str]]:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    return reader, [page.extract_text() for page in reader.pages]


def heading_page(texts: list[str], heading: str) -> int:
    """The first page (1-based) that opens with `heading`."""
    return next(number for number, text in enumerate(texts, start=1) if text.lstrip().startswith(heading))


def contents_entries(text: str) -> list[tuple[str, int]]:
    """(title, page) of each line of the contents: "Personas ........ 5"."""
    entries = []
    for line in text.splitlines():
        found = re.match(r"^(.*?)[\s.…]*?(\d+)$", line.strip())
        if found and found.group(1).strip(" .") and not line.startswith(("Page ", "Generated on")):
            entries.append((found.group(1).strip(" ."), int(found.group(2))))
    return entries


def test_a_plan_needing_several_sections_of_a_kind_gets_them(big):
    build = document.PdfBuild(gather(big, feedback_rows=False), RenderJob(), None)
    keys = [s.key for s in build.body + build.appendix]
    assert sum(k.startswith("journey-maps-") for k in keys) >= 3
    assert sum(k.startswith("evaluations-") for k in keys) == 1 or all(  # one heatmap a section: one journey
        k != "evaluations-2" for k in keys)
    assert sum(k.startswith("appendix-roadmap-") for k in keys) == 3  # three items, one a section
    parts = sections.journey_parts(build.data.journeys[0])
    assert len(parts) >= 3 and parts[0]["first"] and parts[-1]["last"]
    assert all(part["cards"] <= 12 or len(part["rows"]) == 1 for part in parts)  # a row is never cut further
    assert all(len(cell) <= 4 for part in parts for row in part["rows"] for cell in row["cells"])
    assert sum(part["cards"] for part in parts) == EXTRA + 2  # every touchpoint once


def test_pages_are_numbered_across_sections_and_the_contents_outline_and_links_point_at_the_headings(big, tmp_path):
    reader, texts = pages_text(render(gather(big, feedback_rows=False), RenderJob(options={"appendix": "full"})),
                               tmp_path)
    total = len(texts)
    assert total > 12
    assert "Page" not in texts[0]  # the cover
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text, (number, text[-200:])
    assert "Contents" in texts[1]

    entries = contents_entries(texts[1])
    titles = [title for title, _page in entries]
    for expected in ("Stakeholders and objectives", "Personas", "Customer journeys", "Buys hiking boots",
                     "Touchpoint evaluations", "Customer feedback", "Digital maturity", "Data and content audits",
                     "Prioritised roadmap", "Appendix", "Every evaluated touchpoint", "Every roadmap item, by rank"):
        assert expected in titles, (expected, titles)
    for title, page in entries:
        assert texts[page - 1].lstrip().startswith(title), (title, page, texts[page - 1][:80])  # its heading opens it
    assert "Buys hiking boots (continued)" in "".join(texts)  # the journey went on over further sections
    assert texts[heading_page(texts, "Personas") - 1].count(PERSONAS[0]) >= 1

    outline = {item.title: reader.get_destination_page_number(item) + 1 for item in _flat(reader.outline)}
    assert outline == dict(entries)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[:2] == ["Stakeholders and objectives", "Personas"] and "Buys hiking boots" not in top
    journeys = reader.outline[top.index("Customer journeys") + 1]
    assert [item.title for item in journeys] == ["Buys hiking boots"]  # a child of its section

    numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    links = [numbers[annotation.get_object()["/Dest"][0].idnum] for annotation in reader.pages[1].get("/Annots", [])]
    assert set(links) == {page for _title, page in entries}  # every line of the contents links to its page
    journey_list = heading_page(texts, "Customer journeys")
    links = {numbers[a.get_object()["/Dest"][0].idnum] for a in reader.pages[journey_list - 1]["/Annots"]}
    assert links == {dict(entries)["Buys hiking boots"]}  # the list of journeys links to the map, a section away


def _flat(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_the_summary_leaves_the_appendix_out_and_says_what_was_left_out(big, tmp_path):
    _reader, texts = pages_text(render(gather(big, feedback_rows=False), RenderJob(options={"appendix": "summary"})),
                                tmp_path)
    text = "\n".join(texts)
    assert "This PDF is a summary, as asked: its appendix was left out." in texts[1]  # said in the contents
    appendix = texts[heading_page(texts, "Appendix") - 1]
    assert "Every evaluated touchpoint: 1 row" in appendix and "Every roadmap item, by rank: 3 rows" in appendix
    assert EVALUATION_ROW not in text  # the table itself is not there
    assert "The 2 highest ranked of 3 items" in text and TOP_ITEM in text


def test_over_the_page_budget_the_automatic_choice_is_the_summary(big, tmp_path, settings):
    settings.PDF_PAGE_BUDGET = 8
    data = gather(big, feedback_rows=False)
    _reader, texts = pages_text(render(data, RenderJob(options={"appendix": "auto"})), tmp_path)
    assert "over its budget of 8 pages" in texts[1] and EVALUATION_ROW not in "".join(texts)
    settings.PDF_PAGE_BUDGET = 400
    _reader, texts = pages_text(render(data, RenderJob(options={"appendix": "auto"})), tmp_path)
    assert EVALUATION_ROW in "".join(texts) and "left out" not in "".join(texts)


def test_an_export_over_its_memory_budget_fails_with_a_reason_the_page_shows(plan, team, people, settings,
                                                                            client_for):
    build_plan(plan, team=team)
    settings.EXPORT_MEMORY_BUDGET_MIB = 1  # any process is over it: the first section stops the export
    export = Export.objects.create(plan=plan, format="pdf", requested_by=people["viewer"])
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and not export.file
    assert export.error.startswith("The PDF needed ") and "while laying out “Cover”" in export.error
    assert "over the export budget of 1 MiB" in export.error and "summary" in export.error
    page = client_for(people["viewer"]).get(reverse("plan_exports", args=[plan.pk])).content.decode()
    assert "over the export budget of 1 MiB" in page
    assert default_storage.listdir("exports") == ([], []) if default_storage.exists("exports") else True


def test_progress_moves_section_by_section(big, people, monkeypatch):
    seen = []
    monkeypatch.setattr("roadmaps.exports.jobs.export_progress", lambda export, percent: seen.append(percent))
    export = Export.objects.create(plan=big, format="pdf", requested_by=people["viewer"], pdf_appendix="full")
    plan_export_task(export.pk)
    export.refresh_from_db()
    assert export.status == "succeeded", export.error
    assert seen[0] == 40 and seen[-1] == 90 and seen == sorted(seen)
    assert len(seen) > 8  # a step per section, not one jump


def test_the_time_limits_grow_with_the_plan_and_go_with_the_task(plan, other_plan, team, people, settings,
                                                                 monkeypatch):
    settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT = 300, 360
    settings.EXPORT_SECONDS_PER_ROW, settings.EXPORT_TIME_LIMIT_MAX = 2, 3600
    build_plan(plan, team=team, extra_touchpoints=20)  # 22 touchpoints and 3 roadmap items
    small = services.export_request(plan=other_plan, actor=people["outsider"], format="pdf")
    large = services.export_request(plan=plan, actor=people["viewer"], format="pdf")
    assert (small.time_limit, large.time_limit) == (360, 360 + 2 * 25)
    assert time_limits(large) == (300 + 50, 360 + 50)
    settings.EXPORT_TIME_LIMIT_MAX = 380
    assert services.export_time_limit(plan) == 380

    from roadmaps import tasks

    sent = []
    monkeypatch.setattr(tasks.plan_export_task, "apply_async", lambda **options: sent.append(options))
    saved, tasks.plan_export_task.app.conf.task_always_eager = tasks.plan_export_task.app.conf.task_always_eager, False
    monkeypatch.setattr(tasks, "exports_run_in_process", lambda: False)
    try:
        tasks.plan_export_enqueue(large.pk)
    finally:
        tasks.plan_export_task.app.conf.task_always_eager = saved
    assert sent[0]["soft_time_limit"] == 350 and sent[0]["time_limit"] == 410


@pytest.mark.urls(URLCONF)
def test_the_appendix_choice_is_asked_for_through_the_api_and_the_form(plan, people, api_for, client_for,
                                                                         django_capture_on_commit_callbacks):
    api = api_for(people["viewer"])
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "pdf", "pdf_appendix": "summary"},
                            format="json")
        default = api.post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "pdf"}, format="json")
        wrong = api.post(f"/api/v1/plans/{plan.pk}/exports/", {"format": "pdf", "pdf_appendix": "most"},
                         format="json")
        client_for(people["viewer"]).post(reverse("plan_exports", args=[plan.pk]),
                                          {"format": "pdf", "pdf_appendix": "full"})
    assert response.status_code == 202 and response.data["pdf_appendix"] == "summary"
    assert default.data["pdf_appendix"] == "auto"
    assert wrong.status_code == 400 and "pdf_appendix" in fields(wrong)
    assert list(Export.objects.order_by("pk").values_list("pdf_appendix", flat=True)) == ["summary", "auto", "full"]
    assert "Summary only, without the appendix" in client_for(people["viewer"]).get(
        reverse("plan_exports", args=[plan.pk])).content.decode()


def test_a_run_within_its_own_longer_time_limit_is_not_taken_for_dead(plan, people, settings):
    now = timezone.now()
    export = Export.objects.create(plan=plan, format="pdf", requested_by=people["viewer"], time_limit=3600,
                                   status="running", attempts=1, heartbeat_at=now,
                                   started_at=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300))
    assert exports_stalled_fail() == 0  # past the default limit, well within its own
    assert Export.objects.get(pk=export.pk).status == "running"
    Export.objects.filter(pk=export.pk).update(started_at=now - timedelta(seconds=3600 + 300))
    assert exports_stalled_fail() == 1
    export.refresh_from_db()
    assert export.status == "failed" and "stopped without finishing" in export.error


def test_the_heatmap_is_a_table_of_plain_text_with_no_form_per_label(plan, team, tmp_path):
    """The heatmap's cells carry their value and count as text on the page's ramp. It was SVG, and WeasyPrint put
    each centred SVG label in a form XObject of its own: three quarters of a 2,000-touchpoint PDF's objects, held by
    the assembly (issue 16). A table draws none."""
    build_plan(plan, team=team)
    reader, texts = pages_text(render(gather(plan, feedback_rows=False)), tmp_path)
    number = next(n for n, text in enumerate(texts) if "Heatmap: Buys hiking boots" in text)
    text = texts[number]
    for expected in ("Website", "Physical store", "1 touchpoint", "not evaluated", "Agreed maturity", "1 · Initial"):
        assert expected in text, expected
    resources = reader.pages[number]["/Resources"]
    forms = [name for name, ref in resources.get("/XObject", {}).items()
             if ref.get_object().get("/Subtype") == "/Form"]
    assert forms == [STAMP]  # only the "Page n of N" laid over every page

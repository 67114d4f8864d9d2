"""The benchmark suite keeps working: every case runs at a tiny scale, in this process, and the report has each row
beside its baseline (the figures themselves are for `make bench`, not for a test)."""

import json

import pytest
from django.db import connection

from bench import dataset
from bench.run import CASES, run_suite

# The rows each case must give (the start of their names), by case: every case of bench.run.CASES is here.
EXPECTED = {
    "middleware": ["No-op request through the full middleware stack"],
    "lists": ["API list /personas/", "API list /touchpoints/", "API list /touchpoint-evaluations/",
              "API list /feedback-responses/", "API list /roadmap-items/"],
    "permissions": ["Whole-organisation touchpoints as a member", "Whole-organisation feedback as a member"],
    "pages": ["Journey map page", "Heatmap page", "Roadmap board"],
    "pages_growth": [f"{page}: plan of 200 vs 20 touchpoints" for page in (
        "Heatmap page", "Evaluations overview", "Roadmap board", "Roadmap timeline", "Value/effort matrix",
        "Journey map (first journey)", "Roadmap items API, first page")],
    "present": ["Presentation of a plan"],
    "map_lanes": ["Journey map with 6 lanes", "Negative themes per stage on the map"],
    "voice": ["Gap ranking: negative share of verbatims per touchpoint"],
    "kpis": ["KPI list page"],
    "statistics": ["Feedback statistics of a plan", "Feedback statistics per touchpoint"],
    "statistics_growth": ["Feedback statistics of a plan at 20,000 vs 2,000 responses",
                          "Feedback page: plan of 20,000 vs 2,000 responses"],
    "listening": ["Mention import, 2,000 rows with 3 bad ones", "Mention import, 2,000 rows, valid rows only",
                  "Mention import: peak Python memory", "Listening indicator “volume”",
                  "Listening indicator “authors”"],
    "listening_mentions": ["Mention list page: a plan with 5,000 mentions vs one with 500",
                           "Mention list page searching “attente”", "Theme suggestions of a plan with 500 mentions",
                           "Theme suggestions of a plan with 5,000 mentions"],
    "json_export": ["JSON export of a whole plan (400 responses): time",
                    "JSON export of a whole plan (400 responses): peak memory"],
    "pdf": ["PDF export"],
    "pdf_growth": ["PDF export growth, 20 touchpoints (full appendix): peak memory",
                   "PDF export growth: CPU per touchpoint at 60 touchpoints"],
    "http_load": [f"HTTP load (in-process test server), concurrency {n}: {page}" for n in (4, 16)
                  for page in ("journey map page", "API list /touchpoints/")],
    "asgi_workers": [f"ASGI web command (in-process test server), 2 processes vs 1, concurrency 8: {page}"
                     for page in ("journey map page", "API list /touchpoints/")],
    "feed_writers": [],
    "feedback_import": [],
    "versions_compare": ["Compare two versions"],
    "plan_templates": ["Plan from a template (small", "Plan from a template (large"],
    "sign_in_security": ["Sign-in security page"],
}
POSTGRESQL_ONLY = {
    "feed_writers": ["16 concurrent writers (touchpoint updates), one organisation vs 4",
                     "Touchpoint update during a 2,000-row feedback import of the same organisation"],
    "feedback_import": ["Feedback import of 500 rows", "Feedback import of 5,000 rows",
                        "Feedback import: time per row at 5,000 rows"],
}
# The cases in groups of about the same time (30 s each on a quiet core), so the parallel suite spreads them.
GROUPS = [
    ["middleware", "lists", "permissions", "pages", "pages_growth"],
    ["present", "map_lanes", "voice", "kpis", "statistics", "statistics_growth", "listening"],
    ["listening_mentions", "json_export", "pdf", "pdf_growth"],
    ["http_load", "asgi_workers"],
    ["feed_writers", "feedback_import", "versions_compare", "plan_templates", "sign_in_security"],
]


@pytest.fixture
def bench_data(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return dataset.build(dataset.CI_SPEC, log=lambda text: None)


def test_every_case_of_the_suite_is_checked_here():
    assert sorted(case for group in GROUPS for case in group) == sorted(CASES) == sorted(EXPECTED)


@pytest.mark.parametrize("group", GROUPS, ids=[group[0] for group in GROUPS])
def test_bench_report_has_every_row_with_a_baseline(group, bench_data, live_server, tmp_path):
    report = run_suite(bench_data, runs=1, slow_runs=1, ci=True, only=group, profile=False,
                       server_url=live_server.url, subprocesses=False, log=lambda text: None)

    cases = [row.case for row in report.rows]
    for name in group:
        expected = EXPECTED[name] + (POSTGRESQL_ONLY.get(name, []) if connection.vendor == "postgresql" else [])
        for start in expected:
            assert any(case.startswith(start) for case in cases), f"{name}: no row for “{start}” in {cases}"
    if "pdf" in group:
        pdf_rows = [case for case in cases if case.startswith("PDF export")]
        assert any("Celery" in case for case in pdf_rows) and any("peak memory" in case for case in pdf_rows), \
            pdf_rows
    for row in report.rows:
        assert row.available and row.has_baseline, row
        assert row.ratio is not None and row.ratio > 0, row
    assert {row.met for row in report.rows if row.target != "—"} <= {True, False}

    markdown, data = report.write(tmp_path, "smoke")
    text = markdown.read_text()
    assert "| case | figure | baseline | ratio | target | met? |" in text
    assert text.count("\n| ") == len(report.rows) + 1  # the header and one line per row
    assert [row["case"] for row in json.loads(data.read_text())["rows"]] == cases


def test_building_the_data_set_again_replaces_it(bench_data):
    from assessments.models import FeedbackResponse, TouchpointEvaluation
    from planning.models import Touchpoint
    from tenancy.models import Organisation

    again = dataset.build(dataset.CI_SPEC, log=lambda text: None)

    spec = dataset.CI_SPEC
    assert Organisation.objects.filter(name__startswith=dataset.ORG_PREFIX).count() == spec.organisations
    main_plan = again["organisations"][0]["plan"]
    assert Touchpoint.objects.filter(plan_id=main_plan).count() == spec.touchpoints
    assert FeedbackResponse.objects.filter(plan_id=main_plan).count() == spec.responses
    assert TouchpointEvaluation.objects.filter(plan_id=main_plan).count() == spec.touchpoints * spec.teams
    assert dataset.existing(spec) == again

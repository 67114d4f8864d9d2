"""CSV import of feedback: every row checked, every error reported, nothing half-imported, one streaming pass."""

import io
import os
import time
import tracemalloc
from datetime import date

import pytest

from assessments.importers import MAX_STORED_ERRORS, ImportMode, feedback_import, parse_date
from assessments.models import FeedbackResponse
from planning import services as planning_services
from tenancy.models import Activity

HEADER = "touchpoint,kind,score,date,source,verbatim\n"


@pytest.fixture
def touchpoint(plan, people, org):
    planning_services.channels_seed(org)
    journey = planning_services.journey_create(plan=plan, actor=people["editor"], name="Buy", template="purchase")
    return planning_services.touchpoint_create(stage=journey.stages.first(), channel=org.channels.first(),
                                               actor=people["editor"], name="Store visit")


@pytest.fixture
def foreign_touchpoint(other_plan, people):
    """A touchpoint of another organisation's plan."""
    organisation = other_plan.organisation
    planning_services.channels_seed(organisation)
    journey = planning_services.journey_create(plan=other_plan, actor=people["outsider"], name="Theirs",
                                               template="purchase")
    return planning_services.touchpoint_create(stage=journey.stages.first(), channel=organisation.channels.first(),
                                               actor=people["outsider"], name="Their secret touchpoint")


def _import(plan, user, text: str, mode=ImportMode.ALL_OR_NOTHING, encoding="utf-8"):
    return feedback_import(plan=plan, actor=user, file=io.BytesIO(text.encode(encoding)), mode=mode)


def _errors(result):
    return [(e.line, e.column) for e in result.errors]


def _bad_file(touchpoint, foreign_touchpoint):
    return (HEADER
            + f"{touchpoint.pk},nps,9,2026-03-01,survey,Très bon accueil\n"  # line 2: good
            + f"{touchpoint.pk},nps,11,2026-03-02,survey,\n"  # line 3: NPS stops at 10
            + f"{touchpoint.pk},ces,4,2026-02-30,,\n"  # line 4: no 30 February
            + f"{foreign_touchpoint.pk},csat,5,2026-03-03,,Their customer\n"  # line 5: another organisation's
            + f"{touchpoint.pk},csat,4,05/03/2026,app,Quick checkout\n"  # line 6: good, French date
            + f"{touchpoint.pk},stars,4,2026-03-04,,\n")  # line 7: unknown kind


def test_bad_rows_are_all_reported_and_nothing_is_imported(plan, people, touchpoint, foreign_touchpoint):
    result = _import(plan, people["editor"], _bad_file(touchpoint, foreign_touchpoint))
    assert _errors(result) == [(3, "score"), (4, "date"), (5, "touchpoint"), (7, "kind")]
    assert result.imported == 0 and result.rows == 6 and result.rejected_rows == 4 and not result.ok
    messages = [e.message for e in result.errors]
    assert "outside the NPS scale: a whole number from 0 to 10" in messages[0]
    assert "“2026-02-30” is not a date" in messages[1]
    assert messages[2] == f"There is no touchpoint {foreign_touchpoint.pk} in this plan."
    assert "Their secret touchpoint" not in " ".join(messages)
    assert "Unknown kind “stars”" in messages[3]
    assert FeedbackResponse.objects.count() == 0
    assert not Activity.objects.filter(target_type="assessments.feedbackresponse").exists()


def test_another_organisations_touchpoint_reads_like_an_unknown_one(plan, people, touchpoint, foreign_touchpoint):
    result = _import(plan, people["editor"], HEADER + f"{foreign_touchpoint.pk},nps,9,2026-03-01,,\n"
                     + "999999,nps,9,2026-03-01,,\n")
    assert [e.message for e in result.errors] == [f"There is no touchpoint {foreign_touchpoint.pk} in this plan.",
                                                  "There is no touchpoint 999999 in this plan."]


def test_valid_rows_only_imports_exactly_the_good_rows(plan, people, touchpoint, foreign_touchpoint):
    result = _import(plan, people["editor"], _bad_file(touchpoint, foreign_touchpoint), ImportMode.VALID_ROWS)
    assert result.imported == 2 and result.rejected_rows == 4 and result.error_count == 4
    rows = list(FeedbackResponse.objects.order_by("responded_on").values_list(
        "plan_id", "touchpoint_id", "kind", "score", "responded_on", "source", "verbatim"))
    assert rows == [(plan.pk, touchpoint.pk, "nps", 9, date(2026, 3, 1), "survey", "Très bon accueil"),
                    (plan.pk, touchpoint.pk, "csat", 4, date(2026, 3, 5), "app", "Quick checkout")]
    history = Activity.objects.filter(target_type="assessments.feedbackresponse", verb="created")
    assert history.count() == 2 and {a.actor for a in history} == {people["editor"]}


def test_a_missing_column_is_one_error_naming_it(plan, people, touchpoint):
    result = _import(plan, people["editor"], f"touchpoint,kind,date\n{touchpoint.pk},nps,2026-03-01\n")
    assert result.file_error.startswith("Missing column: score.")
    assert result.errors == [] and result.imported == 0 and FeedbackResponse.objects.count() == 0
    result = _import(plan, people["editor"], "Touchpoint;Verbatim\n1;x\n", ImportMode.VALID_ROWS)
    assert result.file_error.startswith("Missing columns: kind, score, date.")


def test_a_missing_cell_or_extra_cells_are_row_errors(plan, people, touchpoint):
    result = _import(plan, people["editor"], HEADER + f"{touchpoint.pk},nps,,2026-03-01\n"
                     + f"{touchpoint.pk},nps,8,2026-03-01,web,Good, but slow\n", ImportMode.VALID_ROWS)
    assert _errors(result) == [(2, "score"), (3, "")]
    assert "double quotes" in result.errors[1].message and result.imported == 0


def test_semicolons_a_byte_order_mark_french_dates_and_quoted_lines(plan, people, touchpoint):
    text = ("\ufeffTouchpoint;Kind;Score;Date;Source;Verbatim\r\n"
            f"{touchpoint.pk};NPS;10;31/12/2025;magasin;\"Vendeur génial ; très patient\r\nJe reviendrai.\"\r\n"
            "\r\n"
            f"{touchpoint.pk};ces;2;2026-01-02;;\r\n")
    result = _import(plan, people["editor"], text)
    assert result.ok and result.imported == 2 and result.rows == 2
    nps = FeedbackResponse.objects.get(kind="nps")
    assert nps.responded_on == date(2025, 12, 31) and nps.source == "magasin"
    assert nps.verbatim == "Vendeur génial ; très patient\r\nJe reviendrai."


def test_line_numbers_count_the_lines_of_quoted_text(plan, people, touchpoint):
    text = HEADER + f'{touchpoint.pk},nps,9,2026-03-01,,"two\nlines"\n{touchpoint.pk},nps,x,2026-03-01,,\n'
    assert _errors(_import(plan, people["editor"], text)) == [(4, "score")]


def test_an_empty_file_or_a_header_alone(plan, people, touchpoint):
    result = _import(plan, people["editor"], "")
    assert result.file_error.startswith("The file is empty") and result.imported == 0
    result = _import(plan, people["editor"], HEADER)
    assert result.ok and result.rows == 0 and result.imported == 0


def test_lines_that_are_not_utf8_are_reported_not_imported_mangled(plan, people, touchpoint):
    text = HEADER + f"{touchpoint.pk},nps,9,2026-03-01,,Très bien\n{touchpoint.pk},nps,7,2026-03-01,,OK\n"
    result = _import(plan, people["editor"], text, encoding="latin-1")
    assert _errors(result) == [(2, "")] and "CSV UTF-8" in result.errors[0].message and result.imported == 0
    result = _import(plan, people["editor"], text, ImportMode.VALID_ROWS, encoding="latin-1")
    assert result.imported == 1 and FeedbackResponse.objects.get().verbatim == "OK"


def test_a_line_that_cannot_be_read_as_csv_imports_nothing_in_either_mode(plan, people, touchpoint):
    text = HEADER + f"{touchpoint.pk},nps,9,2026-03-01,,fine\n{touchpoint.pk},nps,9,2026-03-01,,\"{'x' * 200_000}\"\n"
    result = _import(plan, people["editor"], text, ImportMode.VALID_ROWS)
    assert result.file_error.startswith("Line 3 cannot be read as CSV") and result.imported == 0
    assert FeedbackResponse.objects.count() == 0


def test_future_dates_and_too_long_sources_are_refused(plan, people, touchpoint):
    result = _import(plan, people["editor"], HEADER + f"{touchpoint.pk},nps,9,2999-01-01,,\n"
                     + f"{touchpoint.pk},nps,9,2026-01-01,{'s' * 121},\n")
    assert _errors(result) == [(2, "date"), (3, "source")]


def test_the_stored_errors_are_capped_but_all_counted(plan, people, touchpoint):
    rows = "".join(f"{touchpoint.pk},nps,99,2026-03-01,,\n" for _ in range(MAX_STORED_ERRORS + 5))
    result = _import(plan, people["editor"], HEADER + rows)
    assert len(result.errors) == MAX_STORED_ERRORS and result.error_count == MAX_STORED_ERRORS + 5
    assert result.errors_not_shown == 5 and result.errors[-1].line == MAX_STORED_ERRORS + 1


def test_a_viewer_cannot_import(plan, people, touchpoint):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(plan, people["viewer"], HEADER + f"{touchpoint.pk},nps,9,2026-03-01,,\n")


def test_dates_in_both_formats():
    assert parse_date("2026-03-01") == date(2026, 3, 1) == parse_date("01/03/2026") == parse_date("1/3/2026")
    assert parse_date("2026-13-01") is None and parse_date("03/01/26") is None and parse_date("") is None


def _write_file(path, touchpoint_ids, rows: int) -> None:
    kinds = (("nps", 11, 0), ("ces", 7, 1), ("csat", 5, 1))
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            kind, span, low = kinds[i % 3]
            out.write(f"{touchpoint_ids[i % len(touchpoint_ids)]},{kind},{low + i % span},2025-{1 + i % 12:02}-"
                      f"{1 + i % 28:02},survey,\"Verbatim number {i}, plutôt satisfait\"\n")


def _measure(plan, user, path, *, trace: bool):
    """Import the file; the time, and with `trace` the peak of Python allocations during the import."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with open(path, "rb") as upload:
        result = feedback_import(plan=plan, actor=user, file=upload)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    return result, seconds, peak


def test_a_100000_row_file_imports_in_one_streaming_pass(plan, people, touchpoint, tmp_path):
    path = tmp_path / "100k.csv"
    _write_file(path, [touchpoint.pk], 100_000)
    result, seconds, _peak = _measure(plan, people["editor"], path, trace=False)
    assert result.ok and result.rows == result.imported == 100_000
    assert FeedbackResponse.objects.filter(plan=plan).count() == 100_000
    assert FeedbackResponse.objects.filter(plan=plan, kind="csat").count() == 33_333
    print(f"\nfeedback import: 100,000 rows ({path.stat().st_size / 2**20:.1f} MiB) in {seconds:.1f} s")


def test_peak_memory_does_not_grow_with_the_file(plan, people, touchpoint, tmp_path):
    """tracemalloc slows the import down about threefold, so the default sizes are modest; for the figures of
    the closing note: FEEDBACK_IMPORT_SIZES=10000,100000 pytest -s -k peak_memory."""
    small_rows, large_rows = (int(n) for n in os.environ.get("FEEDBACK_IMPORT_SIZES", "2000,10000").split(","))
    figures = []
    for rows in (small_rows, large_rows):
        path = tmp_path / f"{rows}.csv"
        _write_file(path, [touchpoint.pk], rows)
        result, seconds, peak = _measure(plan, people["editor"], path, trace=True)
        assert result.ok and result.imported == rows
        figures.append((rows, path.stat().st_size, seconds, peak))
    print("".join(f"\nfeedback import under tracemalloc: {rows:,} rows ({size / 2**20:.1f} MiB file) "
                  f"in {seconds:.1f} s, peak {peak / 2**20:.2f} MiB" for rows, size, seconds, peak in figures))
    (_, _, _, small_peak), (_, _, _, large_peak) = figures
    assert large_peak < small_peak * 1.25 + 2**19  # flat, although the file is five (or ten) times larger

"""Feedback pages: permissions for every page and write, figures, verbatim search, the CSV import, query counts."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import forms_feedback, rollups
from assessments.models import FeedbackResponse
from planning import services as planning_services
from tests.conftest import ROLES
from tests.factories import PlanFactory

LOGIN = 302
READ = [LOGIN, 404, 200, 200, 200, 200]
EDIT = [LOGIN, 404, 403, 200, 200, 200]
PLAN_WRITE = list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True))
HEADER = "touchpoint,kind,score,date,source,verbatim\n"


def _touchpoint(plan, actor, name, journey_name="Buy boots"):
    planning_services.channels_seed(plan.organisation)
    journey = planning_services.journey_create(plan=plan, actor=actor, name=journey_name, template="purchase")
    return planning_services.touchpoint_create(stage=journey.stages.first(), channel=plan.organisation.channels.first(),
                                               actor=actor, name=name)


@pytest.fixture
def touchpoint(plan, people):
    return _touchpoint(plan, people["editor"], "Store visit")


@pytest.fixture
def foreign_touchpoint(other_plan, people):
    return _touchpoint(other_plan, people["outsider"], "Their secret touchpoint", "Their journey")


def _responses(touchpoint, kind, scores, *, day=None, verbatim=""):
    day = day or timezone.localdate() - timedelta(days=3)
    rollups.record(added=FeedbackResponse.objects.bulk_create([
        FeedbackResponse(plan_id=touchpoint.plan_id, touchpoint=touchpoint, kind=kind, score=score, responded_on=day,
                         verbatim=verbatim) for score in scores]))


@pytest.fixture
def feedback(touchpoint):
    _responses(touchpoint, "nps", [10, 10, 9, 7, 3], verbatim="")
    _responses(touchpoint, "ces", [2], verbatim="Livraison rapide, vendeur très aimable")
    _responses(touchpoint, "csat", [4], verbatim="Fast delivery and friendly staff")


def _csv(text: str, name="responses.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# Permission matrix: pages ---------------------------------------------------------------------------------------

GET_PAGES = [
    ("touchpoint_feedback", lambda p, t: [t.pk], READ, "Store visit"),
    ("plan_feedback", lambda p, t: [p.pk], READ, "Livraison rapide"),
    ("feedback_import", lambda p, t: [p.pk], EDIT, "Import feedback from a CSV file"),
    ("feedback_template_csv", lambda p, t: [p.pk], READ, "touchpoint,kind,score,date,source,verbatim"),
    ("feedback_touchpoints_csv", lambda p, t: [p.pk], READ, "Store visit"),
]


@pytest.mark.parametrize(("name", "args", "expected", "text"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_matrix(client_for, people, org, plan, touchpoint, feedback, name, args, expected, text, role_index):
    response = client_for(people[ROLES[role_index]]).get(reverse(name, args=args(plan, touchpoint)))
    assert response.status_code == expected[role_index]
    body = response.content.decode()
    if response.status_code == 200:
        assert text in body
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code in (403, 404):
        assert text not in body and "Livraison" not in body
    if response.status_code == 404:
        assert org.name not in body and plan.name not in body


def test_the_import_result_page_needs_edit_access_and_a_result(client_for, people, plan):
    url = reverse("feedback_import_result", args=[plan.pk])
    assert client_for(people["viewer"]).get(url).status_code == 403
    assert client_for(people["outsider"]).get(url).status_code == 404
    response = client_for(people["editor"]).get(url)
    assert response.status_code == 302 and response["Location"] == reverse("feedback_import", args=[plan.pk])


def test_a_viewer_reads_the_feedback_without_the_forms(client_for, people, plan, touchpoint, feedback):
    client = client_for(people["viewer"])
    page = client.get(reverse("touchpoint_feedback", args=[touchpoint.pk])).content.decode()
    assert "Livraison rapide" in page and reverse("feedback_add", args=[touchpoint.pk]) not in page
    page = client.get(reverse("plan_feedback", args=[plan.pk])).content.decode()
    assert "Store visit" in page and reverse("feedback_import", args=[plan.pk]) not in page


# Permission matrix: writes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_adding_a_response_needs_edit_access(client_for, people, touchpoint, role, expected):
    data = {"kind": "nps", "score": "9", "responded_on": "2026-03-01", "source": "call", "verbatim": "Très bien"}
    response = client_for(people[role]).post(reverse("feedback_add", args=[touchpoint.pk]), data)
    assert response.status_code == expected
    applied = expected == 302 and role != "anon"
    assert FeedbackResponse.objects.filter(touchpoint=touchpoint, verbatim="Très bien").exists() == applied
    if applied:
        assert response["Location"] == reverse("touchpoint_feedback", args=[touchpoint.pk]) + "#add"


@pytest.mark.parametrize(("role", "expected"), PLAN_WRITE)
def test_importing_needs_edit_access(client_for, people, plan, touchpoint, role, expected):
    upload = _csv(HEADER + f"{touchpoint.pk},nps,9,2026-03-01,survey,Imported\n")
    response = client_for(people[role]).post(reverse("feedback_import", args=[plan.pk]),
                                             {"file": upload, "mode": "all"})
    assert response.status_code == expected
    applied = expected == 302 and role != "anon"
    assert FeedbackResponse.objects.filter(plan=plan, verbatim="Imported").exists() == applied
    if applied:
        assert response["Location"] == reverse("feedback_import_result", args=[plan.pk])


def test_posting_to_another_organisations_touchpoint_is_404(client_for, people, foreign_touchpoint):
    data = {"kind": "nps", "score": "9", "responded_on": "2026-03-01"}
    response = client_for(people["owner"]).post(reverse("feedback_add", args=[foreign_touchpoint.pk]), data)
    assert response.status_code == 404 and "Their secret touchpoint" not in response.content.decode()
    assert not FeedbackResponse.objects.exists()


# Hand entry -----------------------------------------------------------------------------------------------------


def test_a_score_off_its_scale_is_refused_on_the_page(client_for, people, touchpoint):
    response = client_for(people["editor"]).post(reverse("feedback_add", args=[touchpoint.pk]), {
        "kind": "csat", "score": "7", "responded_on": "2026-03-01"})
    assert response.status_code == 200
    assert "A CSAT score is a whole number from 1 to 5." in response.content.decode()
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client_for(people["editor"]).post(reverse("feedback_add", args=[touchpoint.pk]), {
        "kind": "nps", "score": "7", "responded_on": future})
    assert "The date is in the future." in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_a_response_added_by_hand_shows_in_the_figures_and_the_verbatims(client_for, people, touchpoint):
    client = client_for(people["editor"])
    client.post(reverse("feedback_add", args=[touchpoint.pk]), {
        "kind": "nps", "score": "10", "responded_on": "01/03/2026", "source": "call", "verbatim": "Super <b>bien</b>"})
    response = FeedbackResponse.objects.get()
    assert (response.score, response.responded_on, response.source) == (10, date(2026, 3, 1), "call")
    page = client.get(reverse("touchpoint_feedback", args=[touchpoint.pk])).content.decode()
    assert "Super &lt;b&gt;bien&lt;/b&gt;" in page and "<b>bien</b>" not in page
    assert "+100" in page and "indicative (n &lt; 30)" in page


# Figures --------------------------------------------------------------------------------------------------------


def test_the_touchpoint_page_shows_each_figure_with_its_interval_and_sample_size(client_for, people, touchpoint):
    _responses(touchpoint, "nps", [10] * 50 + [8] * 30 + [2] * 20)  # NPS 30, interval 14.05 to 44.20 by hand
    page = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[touchpoint.pk])).content.decode()
    assert "+30" in page and "95 % interval: 14 to 44" in page and "100 responses" in page
    assert "No response of this kind yet." in page  # CES and CSAT
    assert "indicative (n &lt; 30)" not in page


def test_the_period_comparison_says_when_a_change_beats_the_noise(client_for, people, touchpoint):
    today = timezone.localdate()
    _responses(touchpoint, "nps", [2] * 40, day=today - timedelta(days=120))
    _responses(touchpoint, "nps", [10] * 40, day=today - timedelta(days=10))
    _responses(touchpoint, "csat", [4, 5] * 20, day=today - timedelta(days=120))
    _responses(touchpoint, "csat", [5, 4] * 20, day=today - timedelta(days=10))
    page = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[touchpoint.pk])).content.decode()
    assert "Up, by more than the noise: a real change." in page
    assert "Within the noise: no real change shown." in page  # CSAT is the same in both periods
    page = client_for(people["viewer"]).get(reverse("touchpoint_feedback", args=[touchpoint.pk]) + "?days=30")
    assert "Not enough responses in one of the periods." in page.content.decode()  # nothing 31 to 60 days ago


def test_the_plan_page_shows_journeys_and_touchpoints(client_for, people, plan, touchpoint, feedback):
    quiet = _touchpoint(plan, people["editor"], "Quiet kiosk", "Return boots")
    page = client_for(people["viewer"]).get(reverse("plan_feedback", args=[plan.pk])).content.decode()
    assert "Buy boots" in page and "Return boots" in page
    assert reverse("touchpoint_feedback", args=[touchpoint.pk]) in page
    assert reverse("touchpoint_feedback", args=[quiet.pk]) not in page and "1 touchpoint has no feedback yet." in page


def test_interval_bars_use_plain_numbers_in_french(client_for, people, touchpoint):
    _responses(touchpoint, "ces", [2, 3, 3, 4, 6])
    client = client_for(people["viewer"])
    page = client.get(reverse("touchpoint_feedback", args=[touchpoint.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in page and "3,60" in page  # the figure is written the French way
    coordinates = re.findall(r'\s(?:cx|x|x1|x2|width)="([^"]+)"', page)
    assert len(coordinates) > 20 and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)


@pytest.mark.parametrize("page", ["plan_feedback", "touchpoint_feedback"])
def test_the_statistics_pages_make_the_same_queries_for_10_and_1000_responses(client_for, people, plan, touchpoint,
                                                                              page):
    other = _touchpoint(plan, people["editor"], "Checkout", "Return boots")
    client = client_for(people["viewer"])
    url = reverse(page, args=[plan.pk if page == "plan_feedback" else touchpoint.pk])
    counts = []
    for total in (10, 1000):
        FeedbackResponse.objects.all().delete()
        rollups.rebuild()
        for index, tp in enumerate((touchpoint, other)):
            _responses(tp, ("nps", "ces", "csat")[index], [index + 1] * (total // 2), verbatim=f"Avis {index}")
        client.get(url)  # the session is written on the first visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and f"{total // 2} responses" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Verbatim search ------------------------------------------------------------------------------------------------


def test_verbatim_search_finds_french_and_english_and_not_another_plans(client_for, people, org, plan, touchpoint,
                                                                        feedback):
    sister = PlanFactory(organisation=org, name="Sister plan")
    _responses(_touchpoint(sister, people["owner"], "Sister touchpoint"), "nps", [9],
               verbatim="Livraison lente, Fast delivery elsewhere")
    client = client_for(people["owner"])  # the owner sees both plans
    url = reverse("plan_feedback", args=[plan.pk])
    page = client.get(url, {"q": "LIVRAISON"}).content.decode()
    assert "<mark>Livraison</mark> rapide, vendeur très aimable" in page
    assert "Fast delivery" not in page and "lente" not in page
    page = client.get(url, {"q": "delivery"}).content.decode()
    assert "Fast <mark>delivery</mark> and friendly staff" in page and "Livraison" not in page
    page = client.get(url, {"q": "très aimable"}).content.decode()
    assert "1 verbatim contains “très aimable”." in page
    page = client.get(url, {"q": "<script>"}).content.decode()
    assert "No verbatim contains “&lt;script&gt;”." in page


def test_verbatims_are_paginated_newest_first(client_for, people, touchpoint):
    today = timezone.localdate()
    for age in range(25):
        _responses(touchpoint, "nps", [9], day=today - timedelta(days=age), verbatim=f"Comment {age:02}")
    url = reverse("touchpoint_feedback", args=[touchpoint.pk])
    page = client_for(people["viewer"]).get(url).content.decode()
    assert page.index("Comment 00") < page.index("Comment 19") and "Comment 20" not in page and "Page 1 of 2" in page
    page = client_for(people["viewer"]).get(url, {"page": 2}).content.decode()
    assert "Comment 24" in page and "Comment 19" not in page


# The CSV import ------------------------------------------------------------------------------------------------


def _bad_file(touchpoint, foreign_touchpoint):
    return (HEADER + f"{touchpoint.pk},nps,9,2026-03-01,survey,Bon accueil\n"
            + f"{touchpoint.pk},nps,11,2026-03-02,,\n"
            + f"{touchpoint.pk},ces,4,2026-02-30,,\n"
            + f"{foreign_touchpoint.pk},csat,5,2026-03-03,,Theirs\n")


def test_a_file_with_errors_imports_nothing_and_lists_every_bad_row(client_for, people, plan, touchpoint,
                                                                    foreign_touchpoint):
    client = client_for(people["editor"])
    response = client.post(reverse("feedback_import", args=[plan.pk]),
                           {"file": _csv(_bad_file(touchpoint, foreign_touchpoint)), "mode": "all"}, follow=True)
    page = response.content.decode()
    assert "Nothing was imported." in page and "3 rows out of 4 have errors." in page
    rows = re.findall(r'<tr><td class="fb-id">(\d+)</td><td>(\w+)</td><td>([^<]+)</td></tr>', page)
    assert [(line, column) for line, column, _ in rows] == [("3", "score"), ("4", "date"), ("5", "touchpoint")]
    assert rows[2][2] == f"There is no touchpoint {foreign_touchpoint.pk} in this plan."
    assert "Their secret touchpoint" not in page
    assert not FeedbackResponse.objects.exists()


def test_valid_rows_only_imports_the_good_rows_and_a_reload_does_not_import_again(client_for, people, plan,
                                                                                   touchpoint, foreign_touchpoint):
    client = client_for(people["editor"])
    response = client.post(reverse("feedback_import", args=[plan.pk]),
                           {"file": _csv(_bad_file(touchpoint, foreign_touchpoint)), "mode": "valid"})
    assert response.status_code == 302
    assert list(FeedbackResponse.objects.values_list("verbatim", flat=True)) == ["Bon accueil"]
    page = client.get(response["Location"]).content.decode()
    assert "1 response imported." in page and "3 rows with errors were skipped." in page
    client.get(response["Location"])
    assert FeedbackResponse.objects.count() == 1


def test_a_missing_column_is_shown_as_one_error(client_for, people, plan, touchpoint):
    client = client_for(people["editor"])
    response = client.post(reverse("feedback_import", args=[plan.pk]),
                           {"file": _csv(f"touchpoint;kind;date\n{touchpoint.pk};nps;2026-03-01\n"), "mode": "all"},
                           follow=True)
    assert "Nothing was imported.</strong> Missing column: score." in response.content.decode()


def test_a_large_file_is_streamed_from_a_temporary_file(client_for, people, plan, touchpoint, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file on disk
    rows = "".join(f"{touchpoint.pk};csat;{1 + i % 5};{1 + i % 28:02}/02/2026;;\n" for i in range(500))
    upload = _csv("\ufeff" + HEADER.replace(",", ";") + rows)
    response = client_for(people["editor"]).post(reverse("feedback_import", args=[plan.pk]),
                                                 {"file": upload, "mode": "all"}, follow=True)
    assert "All 500 responses imported." in response.content.decode()
    assert FeedbackResponse.objects.filter(kind="csat").count() == 500


def test_the_upload_form_refuses_files_over_the_limit_and_other_types(client_for, people, plan, monkeypatch):
    monkeypatch.setattr(forms_feedback, "MAX_UPLOAD_BYTES", 10)
    client = client_for(people["editor"])
    response = client.post(reverse("feedback_import", args=[plan.pk]), {"file": _csv(HEADER), "mode": "all"})
    assert response.status_code == 200 and "the limit is 10" in response.content.decode()
    response = client.post(reverse("feedback_import", args=[plan.pk]), {"file": _csv("x", "scores.xlsx"),
                                                                         "mode": "all"})
    assert "Choose a .csv file" in response.content.decode()


def test_the_template_unchanged_imports_nothing(client_for, people, plan, touchpoint):
    client = client_for(people["editor"])
    template = client.get(reverse("feedback_template_csv", args=[plan.pk]))
    assert template["Content-Disposition"] == 'attachment; filename="feedback-template.csv"'
    text = template.content.decode("utf-8")
    assert text.startswith("\ufefftouchpoint,kind,score,date,source,verbatim\r\n0,nps,9,")
    response = client.post(reverse("feedback_import", args=[plan.pk]),
                           {"file": _csv(text, "feedback-template.csv"), "mode": "valid"}, follow=True)
    assert "There is no touchpoint 0 in this plan." in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_the_touchpoint_list_gives_the_ids_and_defuses_formulas(client_for, people, plan, touchpoint):
    formula = _touchpoint(plan, people["editor"], "=HYPERLINK(1)", "Other")
    body = client_for(people["viewer"]).get(reverse("feedback_touchpoints_csv", args=[plan.pk])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["touchpoint", "journey", "stage", "channel", "name"]
    assert [touchpoint.pk, "Store visit"] in [[int(r[0]), r[4]] for r in rows[1:]]
    assert [str(formula.pk), "'=HYPERLINK(1)"] in [[r[0], r[4]] for r in rows[1:]]


def test_downloads_use_semicolons_in_french(client_for, people, plan):
    response = client_for(people["viewer"]).get(reverse("feedback_template_csv", args=[plan.pk]),
                                                HTTP_ACCEPT_LANGUAGE="fr")
    assert response.content.decode("utf-8").startswith("\ufefftouchpoint;kind;score;date;source;verbatim")

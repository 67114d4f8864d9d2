"""Evaluation pages: every team's card, the agreed value, the plan overview, the heatmap and the ranked gaps.

Permission matrix for every page and write, the disagreement flag, an agreed value overriding the median, stale
edits that keep what was typed, and query counts that do not grow with responses or touchpoints.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import rollups, selectors
from assessments import services as assessment_services
from assessments.models import DataCaptureItem, FeedbackResponse, TouchpointAgreement, TouchpointEvaluation
from planning import services
from tests.conftest import ROLES
from tests.factories import team_with

LOGIN = 302
HTMX = {"HTTP_HX_REQUEST": "true"}
DISAGREE = "Teams disagree — discuss"


def evaluation_values(**overrides) -> dict:
    values = {"maturity": 2, "potential_customer": 4, "potential_brand": 3, "information_pushed": ["reviews"],
              "feedback_mode": "pulled", "notes": "Agents type the reason of the call."}
    return values | overrides


def form_data(version=None, **overrides) -> dict:
    data = evaluation_values(**overrides)
    data["version"] = "" if version is None else version
    return data


@pytest.fixture
def world(org, people, plan, team):
    """A journey with one touchpoint, two teams (one has evaluated it, with a data item), a team of another org."""
    owner = people["owner"]
    services.channels_seed(org)
    channels = {c.name: c for c in org.channels.all()}
    journey = services.journey_create(plan=plan, actor=owner, name="Léa buys boots", template=["Discover", "Buy"])
    discover, buy = journey.stages.order_by("position")
    touchpoint = services.touchpoint_create(stage=discover, channel=channels["Website"], actor=owner,
                                            name="Compares three models", customer_action="Reads the reviews")
    marketing = team_with(org, name="Marketing", department="marketing")
    evaluation = assessment_services.evaluation_create(touchpoint=touchpoint, team=team, actor=None,
                                                       **evaluation_values())
    item = assessment_services.data_item_create(evaluation=evaluation, actor=None, data="Email address",
                                                source="Newsletter form", storage="crm", completeness="good",
                                                accessibility="partial")
    foreign_team = team_with(people["other_org"], name="Foreign team")
    return {"org": org, "plan": plan, "journey": journey, "stages": (discover, buy), "channels": channels,
            "touchpoint": touchpoint, "service": team, "marketing": marketing, "evaluation": evaluation,
            "item": item, "foreign_team": foreign_team, "owner": owner}


def _agree(world, **values):
    return assessment_services.agreement_set(touchpoint=world["touchpoint"], actor=world["owner"],
                                             reason="Agreed in the March workshop.", **values)


# Pages ---------------------------------------------------------------------------------------------------------

READ = [LOGIN, 404, 200, 200, 200, 200]
WRITE_FORM = [LOGIN, 404, 403, 200, 200, 200]
PAGES = [
    ("touchpoint_evaluations", lambda w: [w["touchpoint"].pk], READ, "Compares three models"),
    ("evaluation_card", lambda w: [w["touchpoint"].pk, w["service"].pk], READ, "Email address"),
    ("plan_evaluations", lambda w: [w["plan"].pk], READ, "Compares three models"),
    ("plan_heatmap", lambda w: [w["plan"].pk], READ, "Touchpoints ranked by gap"),
    ("evaluation_edit", lambda w: [w["touchpoint"].pk, w["marketing"].pk], WRITE_FORM, "1 · Initial"),
    ("data_item_create", lambda w: [w["evaluation"].pk], WRITE_FORM, "What data"),
    ("data_item_edit", lambda w: [w["item"].pk], WRITE_FORM, "Newsletter form"),
]


@pytest.mark.parametrize(("name", "args", "expected", "text"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client_for, people, world, name, args, expected, text, role):
    url = reverse(name, args=args(world))
    response = client_for(people[role]).get(url)
    assert response.status_code == expected[ROLES.index(role)]
    body = response.content.decode()
    if response.status_code == 200:
        assert text in body
    elif response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    else:
        assert world["touchpoint"].name not in body and world["plan"].name not in body


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewers_read_the_evaluation_page_and_editors_get_the_forms(client_for, people, world, role):
    body = client_for(people[role]).get(reverse("touchpoint_evaluations", args=[world["touchpoint"].pk])).content
    body = body.decode()
    assert "Customer service" in body and "Marketing" in body  # one card per team of the organisation
    assert "Foreign team" not in body
    assert "2 · Managed" in body and "defined and partly measured" in body and "Email address" in body
    assert f'href="/journeys/{world["journey"].pk}/"' in body
    editing = ("Evaluate for Marketing", "Set the agreed value", "+ Add data captured", "Edit the evaluation")
    for text in editing:
        assert (text in body) == (role == "editor"), text
    assert ("You can read these evaluations" in body) == (role == "viewer")


def test_the_evaluation_form_shows_each_maturity_level_with_its_definition(client_for, people, world):
    response = client_for(people["editor"]).get(reverse("evaluation_edit", args=[world["touchpoint"].pk,
                                                                                 world["marketing"].pk]), **HTMX)
    body = response.content.decode()
    levels = [("1 · Initial", "ad hoc, not measured"), ("2 · Managed", "defined and partly measured"),
              ("3 · Integrated", "connected to customer data"), ("4 · Optimised", "personalised in real time")]
    for name, definition in levels:
        assert re.search(rf'type="radio" name="maturity" value="\d"[^>]*>\s*<span><strong>{name}</strong> '
                         rf'<span class="muted">{definition}', body), name
    assert body.count('name="potential_customer"') == 5 and body.count('name="information_pushed"') == 4
    assert body.startswith('<article class="card evalcard is-editing" id="team-')


def test_another_organisations_team_is_not_found(client_for, people, world):
    url = reverse("evaluation_edit", args=[world["touchpoint"].pk, world["foreign_team"].pk])
    assert client_for(people["owner"]).get(url).status_code == 404


# Writes --------------------------------------------------------------------------------------------------------


def _evaluation_count(w, team="marketing"):
    return TouchpointEvaluation.objects.filter(touchpoint=w["touchpoint"], team=w[team]).count()


WRITES = [
    ("evaluate for a team", "evaluation_edit", lambda w: [w["touchpoint"].pk, w["marketing"].pk],
     lambda w: form_data(maturity=4), lambda w: _evaluation_count(w) == 1),
    ("edit an evaluation", "evaluation_edit", lambda w: [w["touchpoint"].pk, w["service"].pk],
     lambda w: form_data(version=w["evaluation"].version, maturity=3),
     lambda w: TouchpointEvaluation.objects.get(pk=w["evaluation"].pk).maturity == 3),
    ("remove an evaluation", "evaluation_delete", lambda w: [w["touchpoint"].pk, w["service"].pk],
     lambda w: {"version": w["evaluation"].version}, lambda w: _evaluation_count(w, "service") == 0),
    ("add data captured", "data_item_create", lambda w: [w["evaluation"].pk],
     lambda w: {"data": "Shoe size", "source": "", "storage": "spreadsheet", "completeness": "poor",
                "accessibility": "poor"},
     lambda w: DataCaptureItem.objects.filter(data="Shoe size", evaluation=w["evaluation"]).exists()),
    ("edit data captured", "data_item_edit", lambda w: [w["item"].pk],
     lambda w: {"data": "Email", "source": "Till", "storage": "dmp", "completeness": "good",
                "accessibility": "good", "version": w["item"].version},
     lambda w: DataCaptureItem.objects.get(pk=w["item"].pk).storage == "dmp"),
    ("remove data captured", "data_item_delete", lambda w: [w["item"].pk], lambda w: {"version": w["item"].version},
     lambda w: not DataCaptureItem.objects.filter(pk=w["item"].pk).exists()),
    ("agree a value", "agreement_set", lambda w: [w["touchpoint"].pk],
     lambda w: {"maturity": "3", "potential_customer": "", "potential_brand": "", "reason": "Workshop."},
     lambda w: TouchpointAgreement.objects.filter(touchpoint=w["touchpoint"], maturity=3).exists()),
    ("go back to the median", "agreement_clear", lambda w: [w["touchpoint"].pk],
     lambda w: {"version": _agree(w, maturity=1).version},
     lambda w: not TouchpointAgreement.objects.filter(touchpoint=w["touchpoint"]).exists()),
]


@pytest.mark.parametrize(("label", "name", "args", "data", "changed"), WRITES, ids=[w[0] for w in WRITES])
@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(client_for, people, world, label, name, args, data, changed, role):
    payload = data(world)
    response = client_for(people[role]).post(reverse(name, args=args(world)), payload)
    expected = [LOGIN, 404, 403, 302, 302, 302][ROLES.index(role)]
    assert response.status_code == expected
    if role == "anon":
        assert response["Location"].startswith(reverse("login"))
    elif expected == 302:
        assert response["Location"] == reverse("touchpoint_evaluations", args=[world["touchpoint"].pk])
    assert changed(world) == (expected == 302 and role != "anon")


def test_saving_with_htmx_answers_the_card_the_status_and_the_agreed_value(client_for, people, world):
    url = reverse("evaluation_edit", args=[world["touchpoint"].pk, world["marketing"].pk])
    response = client_for(people["editor"]).post(url, form_data(maturity=4, notes="Campaigns only."), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith(f'<article class="card evalcard" id="team-{world["marketing"].pk}"')
    assert "4 · Optimised" in body and "Campaigns only." in body
    assert 'id="eval-status"' in body and "Evaluation by Marketing added." in body
    assert re.search(r'id="agreement" aria-labelledby="agreement-title" hx-swap-oob="true"', body)
    assert "Marketing 4" in body  # the agreed panel lists the new value
    evaluation = TouchpointEvaluation.objects.get(team=world["marketing"])
    assert evaluation.evaluated_by == people["editor"] and evaluation.information_pushed == ["reviews"]


def test_an_invalid_evaluation_stays_in_the_form_with_its_errors(client_for, people, world):
    url = reverse("evaluation_edit", args=[world["touchpoint"].pk, world["marketing"].pk])
    response = client_for(people["editor"]).post(url, form_data(maturity=7, notes="Keep me"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in body and "Keep me" in body
    assert _evaluation_count(world) == 0


# Disagreement and the agreed value -----------------------------------------------------------------------------


@pytest.mark.parametrize(("other", "flagged"), [(1, False), (3, False), (4, True)])
def test_the_disagreement_flag_appears_when_two_teams_are_two_levels_apart(client_for, people, world, other,
                                                                           flagged):
    assessment_services.evaluation_create(touchpoint=world["touchpoint"], team=world["marketing"], actor=None,
                                          **evaluation_values(maturity=other))
    client = client_for(people["viewer"])
    page = client.get(reverse("touchpoint_evaluations", args=[world["touchpoint"].pk])).content.decode()
    assert (DISAGREE in page) == flagged
    assert ('spread-wide' in page or "spread is-wide" in page) == flagged
    overview = client.get(reverse("plan_evaluations", args=[world["plan"].pk])).content.decode()
    assert (DISAGREE in overview) == flagged
    ranked = client.get(reverse("plan_heatmap", args=[world["plan"].pk])).content.decode()
    assert (DISAGREE in ranked) == flagged


def test_an_agreed_value_with_a_reason_overrides_the_median_and_is_shown_as_such(client_for, people, world):
    assessment_services.evaluation_create(touchpoint=world["touchpoint"], team=world["marketing"], actor=None,
                                          **evaluation_values(maturity=4))
    client = client_for(people["editor"])
    page = client.get(reverse("touchpoint_evaluations", args=[world["touchpoint"].pk])).content.decode()
    assert DISAGREE in page and "Median of the teams (3)" in page  # median of 2 and 4
    assert re.search(r'<span class="agreed-value">3</span>\s*<span class="badge agreed-median">median', page)

    refused = client.post(reverse("agreement_set", args=[world["touchpoint"].pk]),
                          {"maturity": "1", "reason": "  "}, **HTMX).content.decode()
    assert "This field is required." in refused and not TouchpointAgreement.objects.exists()

    response = client.post(reverse("agreement_set", args=[world["touchpoint"].pk]),
                           {"maturity": "1", "potential_customer": "", "potential_brand": "",
                            "reason": "Service showed the bounce rate: it is ad hoc today."}, **HTMX)
    panel = response.content.decode()
    assert re.search(r'<span class="agreed-value">1 · Initial</span>\s*<span class="badge agreed-override">agreed',
                     panel)
    assert "Service showed the bounce rate: it is ad hoc today." in panel and "Agreed value saved." in panel
    assert DISAGREE not in panel and "the workshop agreed a value" in panel
    summary = selectors.touchpoint_assessments(plan=world["plan"], touchpoints=[world["touchpoint"]])
    assert summary[world["touchpoint"].pk]["agreed"]["maturity"] == 1
    overview = client.get(reverse("plan_evaluations", args=[world["plan"].pk])).content.decode()
    assert "1 · Initial" in overview and "agreed after discussion" in overview

    agreement = TouchpointAgreement.objects.get()
    back = client.post(reverse("agreement_clear", args=[world["touchpoint"].pk]), {"version": agreement.version},
                       **HTMX).content.decode()
    assert "Back to the median of the teams." in back and DISAGREE in back
    assert re.search(r'<span class="agreed-value">3</span>', back)


def test_an_empty_agreement_is_refused(client_for, people, world):
    response = client_for(people["editor"]).post(reverse("agreement_set", args=[world["touchpoint"].pk]),
                                                 {"reason": "Nothing chosen"}, **HTMX)
    assert "Choose at least one agreed value" in response.content.decode()
    assert not TouchpointAgreement.objects.exists()


# Stale edits ---------------------------------------------------------------------------------------------------


def test_a_stale_evaluation_edit_keeps_the_typed_values_and_shows_theirs(client_for, people, world):
    evaluation = world["evaluation"]
    loaded = evaluation.version
    assessment_services.evaluation_update(evaluation=evaluation, actor=people["owner"], maturity=4,
                                          notes="Theirs: already real time.")
    url = reverse("evaluation_edit", args=[world["touchpoint"].pk, world["service"].pk])
    client = client_for(people["editor"])
    response = client.post(url, form_data(version=loaded, maturity=1, notes="Mine: nothing is measured."), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved meanwhile by someone else" in body and "Someone else saved this evaluation" in body
    assert "4 · Optimised: personalised in real time" in body and "Theirs: already real time." in body
    assert "Mine: nothing is measured.</textarea>" in body
    assert re.search(r'type="radio" name="maturity" value="1"[^>]*checked', body)
    assert f'name="version" value="{loaded + 1}"' in body
    evaluation.refresh_from_db()
    assert evaluation.maturity == 4 and evaluation.notes == "Theirs: already real time."

    client.post(url, form_data(version=loaded + 1, maturity=1, notes="Mine: nothing is measured."), **HTMX)
    evaluation.refresh_from_db()
    assert evaluation.maturity == 1 and evaluation.notes == "Mine: nothing is measured."


def test_a_form_loaded_empty_does_not_overwrite_an_evaluation_made_meanwhile(client_for, people, world):
    assessment_services.evaluation_create(touchpoint=world["touchpoint"], team=world["marketing"],
                                          actor=people["owner"], **evaluation_values(maturity=4, notes="First"))
    url = reverse("evaluation_edit", args=[world["touchpoint"].pk, world["marketing"].pk])
    body = client_for(people["editor"]).post(url, form_data(maturity=1, notes="Second"), **HTMX).content.decode()
    assert "Saved meanwhile by someone else" in body and "Second</textarea>" in body and "First" in body
    assert TouchpointEvaluation.objects.get(team=world["marketing"]).notes == "First"


def test_a_stale_agreement_keeps_the_typed_reason(client_for, people, world):
    agreement = _agree(world, maturity=2)
    loaded = agreement.version
    _agree(world, maturity=4)  # someone else changes it
    body = client_for(people["editor"]).post(reverse("agreement_set", args=[world["touchpoint"].pk]), {
        "maturity": "1", "reason": "My reason", "version": loaded}, **HTMX).content.decode()
    assert "Someone else changed the agreed value" in body and "4 · Optimised" in body
    assert "My reason</textarea>" in body and f'value="{loaded + 1}"' in body
    assert TouchpointAgreement.objects.get().maturity == 4


def test_a_stale_data_item_edit_keeps_the_typed_values(client_for, people, world):
    item = world["item"]
    loaded = item.version
    assessment_services.data_item_update(item=item, actor=people["owner"], storage="data_lake")
    body = client_for(people["editor"]).post(reverse("data_item_edit", args=[item.pk]), {
        "data": "Email (typed)", "source": "", "storage": "dmp", "completeness": "good", "accessibility": "good",
        "version": loaded}, **HTMX).content.decode()
    assert "Someone else saved this item" in body and "Data lake" in body and 'value="Email (typed)"' in body
    assert DataCaptureItem.objects.get(pk=item.pk).storage == "data_lake"


def test_a_stale_removal_is_refused(client_for, people, world):
    evaluation = world["evaluation"]
    loaded = evaluation.version
    assessment_services.evaluation_update(evaluation=evaluation, actor=people["owner"], notes="Changed")
    body = client_for(people["editor"]).post(reverse("evaluation_delete", args=[world["touchpoint"].pk,
                                                                                world["service"].pk]),
                                             {"version": loaded}, **HTMX).content.decode()
    assert "so it was not removed" in body and TouchpointEvaluation.objects.filter(pk=evaluation.pk).exists()


# The overview, the heatmap and the ranked list -----------------------------------------------------------------


def test_the_overview_shows_the_share_of_touchpoints_evaluated(client_for, people, world):
    discover, buy = world["stages"]
    services.touchpoint_create(stage=buy, channel=world["channels"]["Checkout"], actor=None, name="Pays at the till")
    body = client_for(people["viewer"]).get(reverse("plan_evaluations", args=[world["plan"].pk])).content.decode()
    assert '<span class="bigfigure">50 %</span>' in body and "(1 of 2)" in body
    assert "1 of 2 touchpoints evaluated (50 %)" in body
    assert f'href="{reverse("touchpoint_evaluations", args=[world["touchpoint"].pk])}"' in body
    assert "1 of 2</td>" in body  # one of the organisation's two teams evaluated the first touchpoint


def test_the_heatmap_colours_cells_by_agreed_maturity_with_text_labels(client_for, people, world):
    discover, buy = world["stages"]
    services.touchpoint_create(stage=buy, channel=world["channels"]["Checkout"], actor=None, name="Pays at the till")
    other = services.journey_create(plan=world["plan"], actor=None, name="Marc joins", template=["Join"])
    _agree(world, maturity=4)
    client = client_for(people["viewer"])
    body = client.get(reverse("plan_heatmap", args=[world["plan"].pk]),
                      {"journey": world["journey"].pk}).content.decode()
    svg = body[body.index("<svg class=\"heatmap\""):body.index("</svg>", body.index("<svg class=\"heatmap\""))]
    assert ">Discover</tspan>" in svg and ">Buy</tspan>" in svg and ">Website</tspan>" in svg
    assert 'fill="#08519c"' in svg and ">4</text>" in svg  # agreed 4: darkest colour, and the number written
    assert "not evaluated" in svg and 'fill="url(#heatmap-hatch)"' in svg  # the till: touchpoint, no evaluation
    assert "4 · Optimised" in svg and "no touchpoint" in svg  # legend
    assert f'<option value="{other.pk}">Marc joins</option>' in body
    assert "Channels without touchpoints in this journey are not drawn" in body
    chosen = client.get(reverse("plan_heatmap", args=[world["plan"].pk]), {"journey": other.pk}).content.decode()
    assert "This journey has no touchpoints yet." in chosen


def test_the_ranked_list_orders_by_gap_with_feedback_and_data_places(client_for, people, world):
    discover, buy = world["stages"]
    low = services.touchpoint_create(stage=buy, channel=world["channels"]["Checkout"], actor=None,
                                     name="Pays at the till")
    assessment_services.evaluation_create(touchpoint=low, team=world["marketing"], actor=None,
                                          **evaluation_values(maturity=1, potential_customer=5, potential_brand=5))
    rollups.record(added=FeedbackResponse.objects.bulk_create([
        FeedbackResponse(plan=world["plan"], touchpoint=low, kind="nps", score=score, responded_on=date(2026, 3, 1))
        for score in (10, 9, 3, 8)]))
    body = client_for(people["viewer"]).get(reverse("plan_heatmap", args=[world["plan"].pk])).content.decode()
    table = body[body.index('<table class="table rankedtable">'):]
    assert table.index("Pays at the till") < table.index("Compares three models")
    assert "100 × ((" in body and "mean potential" in body  # the formula is on the page
    assert '<span class="gapvalue">100</span>' in table  # maturity 1, potential 5: the largest gap
    assert '<span class="estimate-value">25</span>' in table and "n = 4" in table and "indicative" in table
    assert "CRM (1)" in table  # the data the first touchpoint captures, by storage place


def _count_queries(client, url) -> int:
    client.get(url)  # the first visit writes the session; count the next one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_touchpoints(world, count):
    discover, buy = world["stages"]
    channels = list(world["channels"].values())
    for index in range(count):
        touchpoint = services.touchpoint_create(stage=(discover, buy)[index % 2], channel=channels[index % 9],
                                                actor=None, name=f"Touchpoint {index}")
        for team in (world["service"], world["marketing"]):
            evaluation = assessment_services.evaluation_create(touchpoint=touchpoint, team=team, actor=None,
                                                               **evaluation_values(maturity=1 + index % 4))
            assessment_services.data_item_create(evaluation=evaluation, actor=None, data="Email", storage="crm")
        if index % 3 == 0:
            assessment_services.agreement_set(touchpoint=touchpoint, actor=None, reason="Workshop", maturity=2)


def _responses(world, count):
    kinds = [("nps", 9), ("ces", 3), ("csat", 4)]
    rollups.record(added=FeedbackResponse.objects.bulk_create([
        FeedbackResponse(plan=world["plan"], touchpoint=world["touchpoint"], kind=kinds[i % 3][0],
                         score=kinds[i % 3][1], responded_on=date(2026, 1, 1 + i % 28)) for i in range(count)]))


@pytest.mark.parametrize("name", ["plan_heatmap", "plan_evaluations"])
def test_the_query_count_does_not_grow_with_responses_or_touchpoints(client_for, people, world, name):
    client = client_for(people["editor"])
    url = reverse(name, args=[world["plan"].pk])
    _responses(world, 10)
    few = _count_queries(client, url)
    _responses(world, 990)
    assert FeedbackResponse.objects.count() == 1000
    assert _count_queries(client, url) == few
    _more_touchpoints(world, 30)
    body = client.get(url).content.decode()
    assert "Touchpoint 29" in body
    assert _count_queries(client, url) == few


def test_the_evaluation_page_query_count_does_not_grow_with_data_items(client_for, people, world):
    client = client_for(people["editor"])
    url = reverse("touchpoint_evaluations", args=[world["touchpoint"].pk])
    few = _count_queries(client, url)
    assessment_services.evaluation_create(touchpoint=world["touchpoint"], team=world["marketing"], actor=None,
                                          **evaluation_values(maturity=4))
    for evaluation in TouchpointEvaluation.objects.all():
        for index in range(5):
            assessment_services.data_item_create(evaluation=evaluation, actor=None, data=f"Data {index}")
    assert _count_queries(client, url) == few


def test_svg_coordinates_stay_numbers_in_french(client_for, people, world):
    assessment_services.evaluation_create(touchpoint=world["touchpoint"], team=world["marketing"], actor=None,
                                          **evaluation_values(maturity=3))
    client = client_for(people["viewer"])
    with translation.override("en"):  # the middleware activates French in this thread; put English back after
        heatmap = client.get(reverse("plan_heatmap", args=[world["plan"].pk]),
                             HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        page = client.get(reverse("touchpoint_evaluations", args=[world["touchpoint"].pk]),
                          HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in heatmap
    assert ">2,5</text>" in heatmap  # the mean, written for French readers
    for svg in re.findall(r"<svg.*?</svg>", heatmap + page, flags=re.S):
        assert not re.search(r'(?:x|y|cx|cy|width|height)="-?\d+,\d', svg), svg[:200]


def test_without_htmx_a_refused_agreement_shows_its_form_on_a_page(client_for, people, world):
    response = client_for(people["editor"]).post(reverse("agreement_set", args=[world["touchpoint"].pk]),
                                                 {"maturity": "2", "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "<!doctype html>" in body and "This field is required." in body
    assert not TouchpointAgreement.objects.exists()


@pytest.mark.parametrize(("language", "expected"), [("en", "2.5 · between Managed and Integrated"),
                                                    ("fr", "2,5 · entre Maîtrisé et Intégré")])
def test_a_median_between_two_levels_reads_like_a_level(client_for, people, world, language, expected):
    assessment_services.evaluation_create(touchpoint=world["touchpoint"], team=world["marketing"], actor=None,
                                          **evaluation_values(maturity=3))  # median of 2 and 3
    client = client_for(people["editor"])
    overview = client.get(reverse("plan_evaluations", args=[world["plan"].pk]),
                          HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f">{expected}</span>" in overview
    page = client.get(reverse("touchpoint_evaluations", args=[world["touchpoint"].pk]),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<span class="agreed-value">{expected}</span>' in page

"""The roadmap pages: the ranked list, item forms, scoring settings, the board (and its move endpoint), the timeline
and the value/effort matrix. Permission matrix for each (anonymous, outsider, viewer, editor, admin, owner), with
the content asserted; cycles and manual ranks refused with a clear message; constant query counts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessments
from planning import services as planning
from planning.models import Channel
from roadmaps import services
from roadmaps.models import RoadmapItem, ScoringCriterion, ScoringSettings
from roadmaps.scoring import suggest_value
from roadmaps.views import boards
from tenancy.models import Activity
from tests.conftest import ROLES

LOGIN = 302


def make_touchpoints(plan, names):
    channel = Channel.objects.get_or_create(organisation=plan.organisation, name="Website",
                                            defaults={"kind": "online"})[0]
    journey = planning.journey_create(plan=plan, actor=None, name=f"Buys boots ({plan.name})", template="purchase")
    stage = journey.stages.order_by("position").first()
    return [planning.touchpoint_create(stage=stage, channel=channel, actor=None, name=name) for name in names]


def build_world(plan, other_plan, team) -> dict:
    """A plan with two linked roadmap items (the app depends on the CRM), a criterion, an evaluated touchpoint for
    the value suggestion; and another organisation's plan with its own touchpoint and item."""
    stock, pays = make_touchpoints(plan, ["Checks stock in her store", "Pays online"])
    (foreign_touchpoint,) = make_touchpoints(other_plan, ["Their touchpoint"])
    assessments.evaluation_create(touchpoint=stock, team=team, actor=None, maturity=1, potential_customer=5,
                                  potential_brand=4)
    stakeholder = planning.stakeholder_create(plan=plan, actor=None, name="Claire Dubois",
                                              objective="Agents who upsell")
    need = assessments.audit_item_create(plan=plan, actor=None, kind="data", step="need", title="One customer id")
    have = assessments.audit_item_create(plan=plan, actor=None, kind="data", step="have", title="Purchase history")
    crm = services.roadmap_item_create(plan=plan, actor=None, title="CRM for one customer id", category="crm",
                                      horizon="now", value=9, effort=3, teams=[team], touchpoints=[stock],
                                      objectives=[stakeholder], audit_gaps=[need], start_date=date(2027, 1, 4),
                                      end_date=date(2027, 5, 28))
    app = services.roadmap_item_create(plan=plan, actor=None, title="Customer app", category="customer_app",
                                      horizon="next", value=6, effort=6, quarter="2027-Q3", dependencies=[crm])
    return {
        "stock": stock, "pays": pays, "foreign_touchpoint": foreign_touchpoint, "stakeholder": stakeholder,
        "need": need, "have": have, "crm": crm, "app": app,
        "criterion": services.criterion_create(plan=plan, actor=None, name="Customer value", weight=2),
        "foreign": services.roadmap_item_create(plan=other_plan, actor=None, title="Their item", value=5, effort=5),
    }


@pytest.fixture
def world(plan, other_plan, team):
    return build_world(plan, other_plan, team)


def item_data(item, **changes) -> dict:
    """The form as the edit page would post it for `item` (an unsaved one: the new-item form), with `changes`."""

    def ids(name):
        return [obj.pk for obj in getattr(item, name).all()] if item.pk else []

    data = {
        "title": item.title, "category": item.category, "description": item.description, "owner": "",
        "status": item.status, "teams": ids("teams"), "touchpoints": ids("touchpoints"),
        "objectives": ids("objectives"), "audit_gaps": ids("audit_gaps"), "dependencies": ids("dependencies"),
        "horizon": item.horizon, "quarter": item.quarter, "start_date": item.start_date or "",
        "end_date": item.end_date or "", "value": item.value or "", "effort": item.effort or "", "reach": "",
        "impact": "", "confidence": "", "business_value": "", "time_criticality": "", "risk_reduction": "",
        "job_size": "", "manual_rank": item.manual_rank or "", "manual_rank_reason": item.manual_rank_reason,
        "version": item.version,
    }
    data.update(changes)
    return data


# Permission matrix ---------------------------------------------------------------------------------------------

READ_PAGES = [  # everyone who sees the plan; the marker must be in the page
    ("roadmap", lambda p, w: [p.pk], "CRM for one customer id"),
    ("roadmap_board", lambda p, w: [p.pk], "CRM for one customer id"),
    ("roadmap_board_columns", lambda p, w: [p.pk], "Customer app"),
    ("roadmap_timeline", lambda p, w: [p.pk], "Q1 2027"),
    ("roadmap_matrix", lambda p, w: [p.pk], "Quick wins"),
    ("roadmap_scoring", lambda p, w: [p.pk], "Customer value"),
]
EDIT_PAGES = [  # editors only
    ("roadmap_item_create", lambda p, w: [p.pk], "Checks stock in her store"),
    ("roadmap_item_edit", lambda p, w: [p.pk, w["crm"].pk], "CRM for one customer id"),
    ("roadmap_item_delete", lambda p, w: [p.pk, w["crm"].pk], "Customer app"),  # the dependent is named
    ("roadmap_criterion_edit", lambda p, w: [p.pk, w["criterion"].pk], "Customer value"),
    ("roadmap_criterion_delete", lambda p, w: [p.pk, w["criterion"].pk], "Customer value"),
]


def _check(response, expected, marker, plan):
    assert response.status_code == expected
    body = response.content.decode()
    if expected == 200:
        assert marker in body
    elif expected == LOGIN:
        assert response["Location"].startswith(reverse("login"))
    else:
        assert marker not in body and plan.name not in body


@pytest.mark.parametrize(("name", "args", "marker"), READ_PAGES, ids=[p[0] for p in READ_PAGES])
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_read_page_matrix(client_for, people, plan, world, name, args, marker, role, expected):
    response = client_for(people[role]).get(reverse(name, args=args(plan, world)))
    _check(response, expected, marker, plan)


@pytest.mark.parametrize(("name", "args", "marker"), EDIT_PAGES, ids=[p[0] for p in EDIT_PAGES])
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 200, 200, 200], strict=True)))
def test_edit_page_matrix(client_for, people, plan, world, name, args, marker, role, expected):
    response = client_for(people[role]).get(reverse(name, args=args(plan, world)))
    _check(response, expected, marker, plan)


def test_another_organisations_item_is_absent(client_for, people, plan, other_plan, world):
    editor = client_for(people["editor"])
    assert editor.get(reverse("roadmap_item_edit", args=[plan.pk, world["foreign"].pk])).status_code == 404
    assert editor.get(reverse("roadmap_item_edit", args=[other_plan.pk, world["foreign"].pk])).status_code == 404
    assert "Their item" not in editor.get(reverse("roadmap", args=[plan.pk])).content.decode()


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_creating_an_item_needs_edit_access(client_for, people, plan, world, role, expected):
    data = item_data(RoadmapItem(plan=plan, title="Data lake", category="data_lake"), value=4, effort=8,
                     teams=[], dependencies=[world["crm"].pk], version="")
    response = client_for(people[role]).post(reverse("roadmap_item_create", args=[plan.pk]), data)
    assert response.status_code == expected, response.content.decode()[:2000]
    created = RoadmapItem.objects.filter(plan=plan, title="Data lake").first()
    assert (created is not None) == (expected == 302 and role != "anon")
    if created is not None:
        assert list(created.dependencies.all()) == [world["crm"]] and created.horizon == "later"
        assert response["Location"].endswith(f"#item-{created.pk}")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_saving_an_item_needs_edit_access(client_for, people, plan, world, role, expected):
    crm = world["crm"]
    data = item_data(crm, title="CRM and customer data platform", touchpoints=[world["stock"].pk, world["pays"].pk])
    response = client_for(people[role]).post(reverse("roadmap_item_edit", args=[plan.pk, crm.pk]), data)
    assert response.status_code == expected
    crm.refresh_from_db()
    saved = expected == 302 and role != "anon"
    assert (crm.title == "CRM and customer data platform") == saved
    assert crm.touchpoints.count() == (2 if saved else 1)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_deleting_an_item_needs_edit_access(client_for, people, plan, world, role, expected):
    app = world["app"]
    response = client_for(people[role]).post(reverse("roadmap_item_delete", args=[plan.pk, app.pk]),
                                             {"version": app.version})
    assert response.status_code == expected
    assert RoadmapItem.objects.filter(pk=app.pk).exists() == (expected != 302 or role == "anon")


# Item forms ----------------------------------------------------------------------------------------------------


def test_a_dependency_cycle_is_refused_with_the_error_on_the_field(client_for, people, plan, world):
    crm, app = world["crm"], world["app"]  # the app already depends on the CRM
    response = client_for(people["editor"]).post(reverse("roadmap_item_edit", args=[plan.pk, crm.pk]),
                                                  item_data(crm, dependencies=[app.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    field = re.search(r'<div class="field has-error rm-checks">.*?</div>\s*</div>', body, flags=re.S)
    assert field and "Depends on" in field.group(0)
    assert "This would create a cycle: “CRM for one customer id” would depend on itself through Customer app." in body
    assert list(crm.dependencies.all()) == []


def test_a_manual_rank_without_a_reason_is_refused(client_for, people, plan, world):
    crm = world["crm"]
    response = client_for(people["editor"]).post(reverse("roadmap_item_edit", args=[plan.pk, crm.pk]),
                                                  item_data(crm, manual_rank=1, manual_rank_reason="  "))
    assert response.status_code == 200
    assert "A manual rank needs a reason." in response.content.decode()
    crm.refresh_from_db()
    assert crm.manual_rank is None


def test_a_manual_rank_with_a_reason_shows_as_such(client_for, people, plan, world):
    app = world["app"]
    client = client_for(people["editor"])
    client.post(reverse("roadmap_item_edit", args=[plan.pk, app.pk]),
                item_data(app, manual_rank=1, manual_rank_reason="The board wants it first"))
    body = client.get(reverse("roadmap", args=[plan.pk])).content.decode()
    assert "manual rank: The board wants it first" in body
    ranks = re.findall(r'class="rm-rank"[^>]*>(\d+)</div>\s*<div class="rm-main">\s*<h2 class="rm-title"><a[^>]*>'
                       r"([^<]+)</a>", body)
    assert ranks == [("1", "Customer app"), ("2", "CRM for one customer id")]


def test_a_stale_save_shows_the_conflict_and_keeps_what_was_typed(client_for, people, plan, world):
    crm = world["crm"]
    data = item_data(crm, title="Typed by Eddie")
    services.roadmap_item_update(item=RoadmapItem.objects.get(pk=crm.pk), actor=None, title="Saved by Olivia")
    response = client_for(people["editor"]).post(reverse("roadmap_item_edit", args=[plan.pk, crm.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Saved meanwhile by someone else" in body
    assert "Saved by Olivia" in body and 'value="Typed by Eddie"' in body
    assert f'name="version" value="{crm.version + 1}"' in body
    assert RoadmapItem.objects.get(pk=crm.pk).title == "Saved by Olivia"


def test_the_form_offers_only_this_plans_links_and_gaps(client_for, people, plan, world):
    body = client_for(people["editor"]).get(reverse("roadmap_item_create", args=[plan.pk])).content.decode()
    assert "Checks stock in her store" in body and "Their touchpoint" not in body
    assert "One customer id" in body and "Purchase history" not in body  # needs and wishes only
    assert "Buys boots (Omnichannel 2027)" in body  # touchpoints grouped by journey
    assert "Customer value" in body  # the custom criterion's rating
    assert body.count('name="effort"') == 1  # shared by value/effort and RICE, drawn once


def test_the_custom_criteria_ratings_are_saved(client_for, people, plan, world):
    crm, criterion = world["crm"], world["criterion"]
    data = item_data(crm, **{f"criterion_{criterion.pk}": "4"})
    client_for(people["editor"]).post(reverse("roadmap_item_edit", args=[plan.pk, crm.pk]), data)
    crm.refresh_from_db()
    assert crm.criteria_scores == {str(criterion.pk): 4}


# The ranked list -----------------------------------------------------------------------------------------------


def test_the_list_shows_formula_scores_and_terms(client_for, people, plan, world):
    body = client_for(people["viewer"]).get(reverse("roadmap", args=[plan.pk])).content.decode()
    assert "score = value ÷ effort" in body
    assert "9 ÷ 3 = 3.00" in body and "6 ÷ 6 = 1.00" in body
    assert body.index("CRM for one customer id") < body.index("Customer app")
    assert "Use suggestion" not in body  # viewers do not get the button


def test_the_wsjf_list_shows_each_terms_share(client_for, people, plan, world):
    services.scoring_method_set(plan=plan, actor=None, method="wsjf")
    services.roadmap_item_update(item=world["crm"], actor=None, business_value=8, time_criticality=5,
                                 risk_reduction=3, job_size=4)
    body = client_for(people["viewer"]).get(reverse("roadmap", args=[plan.pk])).content.decode()
    assert "+2.00 <span class=\"muted\">(50 %)</span>" in body  # business value 8 ÷ 4 = 2 of 4
    assert "No score until these are filled in: business value, time criticality" in body  # the app


def test_using_the_suggestion_sets_the_value(client_for, people, plan, world):
    crm = world["crm"]
    expected, explanation = suggest_value(gaps=[87.5], objectives=1)  # potential (5+4)/2 vs maturity 1
    client = client_for(people["editor"])
    page = client.get(reverse("roadmap", args=[plan.pk])).content.decode()
    assert f"Suggested value: <strong>{expected}</strong>" in page and explanation in page
    response = client.post(reverse("roadmap_item_use_suggestion", args=[plan.pk, crm.pk]), {"version": crm.version})
    assert response.status_code == 302
    crm.refresh_from_db()
    assert crm.value == expected


def test_no_suggested_value_under_a_method_without_a_value(client_for, people, plan, world):
    crm = world["crm"]
    client = client_for(people["editor"])
    assert "Suggested value" in client.get(reverse("roadmap", args=[plan.pk])).content.decode()
    for method in ("rice", "wsjf", "custom"):
        services.scoring_method_set(plan=plan, actor=None, method=method)
        body = client.get(reverse("roadmap", args=[plan.pk])).content.decode()
        assert "Suggested value" not in body and "Use suggestion" not in body and "rm-suggestion" not in body
    response = client.post(reverse("roadmap_item_use_suggestion", args=[plan.pk, crm.pk]), {"version": crm.version},
                           follow=True)
    assert "not scored by value and effort" in response.content.decode()
    crm.refresh_from_db()
    assert (crm.value, crm.version) == (9, world["crm"].version)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_using_the_suggestion_needs_edit_access(client_for, people, plan, world, role, expected):
    crm = services.roadmap_item_update(item=world["crm"], actor=None, value=3)  # the suggestion is 9
    response = client_for(people[role]).post(reverse("roadmap_item_use_suggestion", args=[plan.pk, crm.pk]),
                                             {"version": crm.version})
    assert response.status_code == expected
    crm.refresh_from_db()
    assert (crm.value != 3) == (expected == 302 and role != "anon")


def test_an_empty_roadmap_says_what_to_do(client_for, people, plan):
    body = client_for(people["editor"]).get(reverse("roadmap", args=[plan.pk])).content.decode()
    assert "No roadmap items yet" in body and reverse("roadmap_item_create", args=[plan.pk]) in body


def test_user_text_is_escaped_in_every_view(client_for, people, plan, world):
    services.roadmap_item_update(item=world["app"], actor=None, title='<img src=x onerror="alert(1)">',
                                 manual_rank=1, manual_rank_reason="<b>why</b>")
    client = client_for(people["viewer"])
    for name in ("roadmap", "roadmap_board", "roadmap_timeline", "roadmap_matrix"):
        body = client.get(reverse(name, args=[plan.pk])).content.decode()
        assert "<img src=x" not in body and "<b>why</b>" not in body, name
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body or "&lt;img src=x onerror=" in body, name


def test_the_plan_page_links_to_the_roadmap(client_for, people, plan):
    body = client_for(people["viewer"]).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f'href="{reverse("roadmap", args=[plan.pk])}"' in body


# Scoring settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_choosing_the_method_needs_edit_access(client_for, people, plan, world, role, expected):
    settings = services.scoring_settings_for(plan)
    response = client_for(people[role]).post(reverse("roadmap_scoring", args=[plan.pk]),
                                             {"method": "rice", "version": settings.version})
    assert response.status_code == expected
    method = ScoringSettings.objects.get(plan=plan).method
    assert (method == "rice") == (expected == 302 and role != "anon")


def test_viewers_see_the_method_without_the_forms(client_for, people, plan, world):
    body = client_for(people["viewer"]).get(reverse("roadmap_scoring", args=[plan.pk])).content.decode()
    assert "this plan's method" in body and "score = value ÷ effort" in body
    assert 'name="method"' not in body and "Add the criterion" not in body


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_adding_a_criterion_needs_edit_access(client_for, people, plan, world, role, expected):
    response = client_for(people[role]).post(reverse("roadmap_criterion_create", args=[plan.pk]),
                                             {"name": "Cost", "weight": "1.5", "direction": "lower"})
    assert response.status_code == expected
    assert ScoringCriterion.objects.filter(plan=plan, name="Cost").exists() == (expected == 302 and role != "anon")


def test_a_duplicate_criterion_name_is_refused_on_the_field(client_for, people, plan, world):
    response = client_for(people["editor"]).post(reverse("roadmap_criterion_create", args=[plan.pk]),
                                                  {"name": "customer value", "weight": "1", "direction": "higher"})
    assert response.status_code == 400
    assert "This plan already has a criterion of that name." in response.content.decode()


def test_editing_and_deleting_a_criterion(client_for, people, plan, world):
    criterion = world["criterion"]
    client = client_for(people["editor"])
    response = client.post(reverse("roadmap_criterion_edit", args=[plan.pk, criterion.pk]),
                           {"name": "Value to customers", "weight": "3", "direction": "higher",
                            "version": criterion.version})
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.name == "Value to customers" and criterion.weight == 3
    client.post(reverse("roadmap_criterion_delete", args=[plan.pk, criterion.pk]), {"version": criterion.version})
    assert not ScoringCriterion.objects.filter(pk=criterion.pk).exists()


# The board and its move endpoint -------------------------------------------------------------------------------


def test_the_board_puts_cards_in_their_columns(client_for, people, plan, world):
    body = client_for(people["editor"]).get(reverse("roadmap_board", args=[plan.pk])).content.decode()
    now, later = body.index('data-horizon="now"'), body.index('data-horizon="later"')
    nxt = body.index('data-horizon="next"')
    assert now < body.index("CRM for one customer id") < nxt < body.index("Customer app") < later
    assert 'data-editable="true"' in body and "sortable-1.15.7.min.js" in body


def test_the_board_orders_each_column_by_rank_not_by_the_saved_position(client_for, people, plan, world):
    editor = people["editor"]
    best = services.roadmap_item_create(plan=plan, actor=None, title="Best", horizon="now", value=9, effort=1)
    worst = services.roadmap_item_create(plan=plan, actor=None, title="Worst", horizon="now", value=2, effort=8)
    good = services.roadmap_item_create(plan=plan, actor=None, title="Good", horizon="now", value=5, effort=1)
    services.roadmap_item_move(item=worst, actor=editor, horizon="now", before=good)  # saved order: …, Worst, Good
    body = client_for(editor).get(reverse("roadmap_board", args=[plan.pk])).content.decode()
    now = body[body.index('data-horizon="now"'):body.index('data-horizon="next"')]
    assert now.index("Best") < now.index("Good") < now.index("CRM for one customer id") < now.index("Worst")
    ranks = [int(n) for n in re.findall(r'<span class="rm-cardrank"[^>]*>(\d+)</span>', now)]
    assert ranks == sorted(ranks) == [1, 2, 3, 5]  # the app (next) is 4th
    assert "cards follow their rank in the ranked list" in body
    assert best.pk


def test_the_board_is_read_only_for_viewers(client_for, people, plan, world):
    body = client_for(people["viewer"]).get(reverse("roadmap_board", args=[plan.pk])).content.decode()
    assert 'data-editable="false"' in body and "sortable-1.15.7.min.js" not in body and "is-draggable" not in body


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 200, 200, 200], strict=True)))
def test_moving_a_card_needs_edit_access(client_for, people, plan, world, role, expected):
    app = world["app"]
    response = client_for(people[role]).post(reverse("roadmap_item_move", args=[plan.pk, app.pk]),
                                             {"horizon": "now", "before": world["crm"].pk, "version": app.version})
    assert response.status_code == expected
    app.refresh_from_db()
    assert (app.horizon == "now") == (expected == 200)
    if expected == 200:
        assert response.json() == {"id": app.pk, "version": app.version, "horizon": "now",
                                   "board_position": app.board_position}
        crm = RoadmapItem.objects.get(pk=world["crm"].pk)
        assert app.board_position < crm.board_position  # put before the CRM


def test_moving_within_a_column_reorders_it(client_for, people, plan, world):
    extra = services.roadmap_item_create(plan=plan, actor=None, title="Reviews", horizon="now")
    client = client_for(people["editor"])
    response = client.post(reverse("roadmap_item_move", args=[plan.pk, extra.pk]),
                           {"horizon": "now", "before": world["crm"].pk, "version": extra.version})
    assert response.status_code == 200
    order = list(RoadmapItem.objects.filter(plan=plan, horizon="now").order_by("board_position")
                 .values_list("title", flat=True))
    assert order == ["Reviews", "CRM for one customer id"]


def test_a_stale_move_answers_412_with_the_current_card(client_for, people, plan, world):
    app = world["app"]
    services.roadmap_item_update(item=RoadmapItem.objects.get(pk=app.pk), actor=None, horizon="later")
    response = client_for(people["editor"]).post(reverse("roadmap_item_move", args=[plan.pk, app.pk]),
                                                  {"horizon": "now", "before": "", "version": app.version})
    assert response.status_code == 412
    assert response.json()["current"] == {"id": app.pk, "version": app.version + 1, "horizon": "later"}
    assert "Customer app" in response.json()["detail"]
    assert RoadmapItem.objects.get(pk=app.pk).horizon == "later"
    assert Activity.objects.filter(verb="refused", target_id=app.pk).exists()


def test_a_move_before_a_card_of_another_column_is_a_400(client_for, people, plan, world):
    app = world["app"]
    response = client_for(people["editor"]).post(reverse("roadmap_item_move", args=[plan.pk, app.pk]),
                                                  {"horizon": "later", "before": world["crm"].pk,
                                                   "version": app.version})
    assert response.status_code == 400 and "not in that column" in response.json()["detail"]


def test_a_move_before_another_plans_card_is_a_400(client_for, people, plan, world):
    app = world["app"]
    response = client_for(people["editor"]).post(reverse("roadmap_item_move", args=[plan.pk, app.pk]),
                                                  {"horizon": "now", "before": world["foreign"].pk,
                                                   "version": app.version})
    assert response.status_code == 400 and "before" in response.json()["errors"]


# Timeline and matrix -------------------------------------------------------------------------------------------


def test_the_timeline_draws_dated_items_and_lists_the_others(client_for, people, plan, world):
    services.roadmap_item_create(plan=plan, actor=None, title="Data lake")
    body = client_for(people["viewer"]).get(reverse("roadmap_timeline", args=[plan.pk])).content.decode()
    svg = re.search(r'<svg[^>]*class="roadmap-timeline".*?</svg>', body, flags=re.S).group(0)
    assert "1. CRM for one customer id" in svg and "Customer app" in svg and "Q3 2027" in svg
    assert 'marker-end="url(#roadmap-arrow)"' in svg  # the app waits for the CRM
    assert 'stroke-dasharray="4 3"' in svg  # the app has a quarter, no dates
    without = body[body.index("Without dates"):]
    assert "Data lake" in without and "Data lake" not in svg


def test_the_matrix_places_items_in_quadrants(client_for, people, plan, world):
    services.roadmap_item_create(plan=plan, actor=None, title="Unrated")
    body = client_for(people["viewer"]).get(reverse("roadmap_matrix", args=[plan.pk])).content.decode()
    svg = re.search(r'<svg[^>]*class="roadmap-matrix".*?</svg>', body, flags=re.S).group(0)
    for label in ("Quick wins", "Big bets", "Fill-ins", "Money pits"):
        assert label in svg
    assert "1. CRM for one customer id: value 9, effort 3" in svg
    legend = body[body.index("Legend"):]
    cells = r'</td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="rm-quadrant">([^<]+)</td>'
    assert re.search("CRM for one customer id" + cells, legend).groups() == ("9", "3", "Quick wins")
    assert re.search("Customer app" + cells, legend).groups() == ("6", "6", "Big bets")
    assert "Unrated" in legend[legend.index("Not placed"):]


def test_the_matrix_puts_the_best_scored_item_among_the_items_worth_doing(client_for, people, plan, world):
    services.roadmap_item_create(plan=plan, actor=None, title="Reviews", value=5, effort=2)  # score 2.5, the best
    services.roadmap_item_create(plan=plan, actor=None, title="Data lake", value=6, effort=9)  # score 0.67
    body = client_for(people["viewer"]).get(reverse("roadmap_matrix", args=[plan.pk])).content.decode()
    legend = body[body.index("Legend"):]
    cells = r'</td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="rm-quadrant">([^<]+)</td>'
    assert re.search("Reviews" + cells, legend).groups() == ("5", "2", "Quick wins")
    assert re.search("Data lake" + cells, legend).groups() == ("6", "9", "Money pits")
    assert "value ÷ effort of 1 or more" in body


def test_svg_coordinates_stay_numbers_in_french(client_for, people, plan, world):
    client = client_for(people["viewer"])
    for name in ("roadmap_timeline", "roadmap_matrix"):
        body = client.get(reverse(name, args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert '<html lang="fr">' in body
        for svg in re.findall(r"<svg.*?</svg>", body, flags=re.S):
            assert not re.search(r'(?:x|y|cx|cy|width|height|x1|x2|y1|y2)="-?\d+,\d', svg), svg[:200]


# Query counts --------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_items(plan, world, team, count):
    for index in range(count):
        services.roadmap_item_create(plan=plan, actor=None, title=f"Item {index}", value=index % 10 + 1, effort=5,
                                     horizon=["now", "next", "later"][index % 3], teams=[team],
                                     touchpoints=[world["stock"], world["pays"]], objectives=[world["stakeholder"]],
                                     audit_gaps=[world["need"]], dependencies=[world["crm"]],
                                     start_date=date(2027, 1, 1), end_date=date(2027, 3, 1))


@pytest.mark.parametrize("name", ["roadmap", "roadmap_board", "roadmap_matrix", "roadmap_timeline"])
def test_page_queries_do_not_grow_with_items(client_for, people, plan, world, team, name):
    client = client_for(people["editor"])
    url = reverse(name, args=[plan.pk])
    client.get(url)  # the scoring settings row is created on the first visit
    few = _queries(client, url)
    _more_items(plan, world, team, 30)
    assert "Item 29" in client.get(url).content.decode()
    assert _queries(client, url) == few


def test_the_formulas_write_their_decimals_for_french_readers(client_for, people, plan, world):
    services.scoring_method_set(plan=plan, actor=None, method="rice")
    services.roadmap_item_update(item=world["crm"], actor=None, reach=2000, impact=Decimal("0.5"), confidence=80,
                                 effort=4)
    client = client_for(people["viewer"])
    french = client.get(reverse("roadmap", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "2000 × 0,5 × 0,8 ÷ 4 = 200,00" in french and "× 0.5" not in french
    english = client.get(reverse("roadmap", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2000 × 0.5 × 0.8 ÷ 4 = 200.00" in english
    api = client.get(f"/api/v1/roadmap-items/{world['crm'].pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert api.status_code == 200 and "× 0.8" in api.content.decode()  # the API keeps plain numbers for programs


@pytest.mark.parametrize("name", ["roadmap_timeline", "roadmap_matrix"])
def test_the_charts_draw_the_highest_ranked_items_first_and_show_more_on_request(client_for, people, plan, world,
                                                                              monkeypatch, name):
    """A plan of thousands of items drew them all (1.4 MB of HTML): the charts draw a page of the highest ranked,
    with links to more and to all, in the same number of queries whatever the plan's size."""
    monkeypatch.setattr(boards, "CHART_PAGE", 2)
    for number in range(4):
        services.roadmap_item_create(plan=plan, actor=None, title=f"Low item {number}", value=1, effort=9,
                                     start_date=date(2027, 1, 1), end_date=date(2027, 2, 1), horizon="later")
    client, url = client_for(people["viewer"]), reverse(name, args=[plan.pk])
    total = RoadmapItem.objects.filter(plan=plan).count()
    with CaptureQueriesContext(connection) as few:
        first = client.get(url).content.decode()
    assert "CRM for one customer id" in first and "Low item" not in first  # the best ranked, not the lowest
    assert f"The 2 highest-ranked of {total} items are shown." in first
    assert 'href="?shown=4"' in first and f'href="?shown={total}"' in first and f"Show all {total}" in first
    everything = client.get(url, {"shown": total}).content.decode()
    assert all(f"Low item {number}" in everything for number in range(4)) and "highest-ranked" not in everything
    for number in range(4, 30):
        services.roadmap_item_create(plan=plan, actor=None, title=f"Low item {number}", value=1, effort=9)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)

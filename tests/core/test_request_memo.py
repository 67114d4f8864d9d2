"""The per-request memo of read-only requests (core.middleware), the filter backend that builds only the filters a
request names (core.api.filters), and the serializers that skip scoping on reads: faster, and nobody sees more."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from assessments.api.filters import FeedbackFilter
from core.api.filters import given_filters_only
from core.middleware import RequestMemoMiddleware, request_memo
from planning import services
from planning.api.filters import TouchpointFilter
from planning.api.journey_serializers import PersonaSerializer
from tenancy import services as tenancy_services
from tenancy.access import Access, plan_ids_for, plans_for
from tenancy.models import Membership, Plan, Role
from tests.factories import MembershipFactory, PlanFactory
from tests.support import fields


def _run(method, inside):
    """`inside()`'s answer, called by a view behind RequestMemoMiddleware for a request of `method`."""
    seen = {}

    def view(request):
        seen["value"] = inside()
        return HttpResponse()

    RequestMemoMiddleware(view)(getattr(RequestFactory(), method.lower())("/"))
    return seen["value"]


# The memo ------------------------------------------------------------------------------------------------------


def test_only_reads_get_a_memo_and_it_ends_with_the_request():
    assert request_memo() is None
    for method in ("GET", "HEAD", "OPTIONS"):
        assert _run(method, request_memo) == {}
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert _run(method, request_memo) is None
    assert request_memo() is None


def test_the_memo_ends_even_when_the_view_fails():
    def failing(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        RequestMemoMiddleware(failing)(RequestFactory().get("/"))
    assert request_memo() is None


def test_outside_a_read_plans_for_is_the_permission_query_and_sees_changes_at_once(people, plan, team):
    editor = people["editor"]
    assert plan_ids_for(editor) is None
    assert list(plans_for(editor)) == [plan]
    other = PlanFactory(organisation=plan.organisation)
    tenancy_services.plan_grant(plan=other, actor=None, team=team, access=Access.VIEW)
    assert set(plans_for(editor)) == {plan, other}  # a write then a read, in one request: no stale answer


def test_a_read_reads_the_visible_plans_once_per_user_and_level(people, plan, other_plan):
    def inside():
        with CaptureQueriesContext(connection) as queries:
            first = [list(plans_for(people["viewer"])) for _ in range(3)]
            editable = list(plans_for(people["viewer"], Access.EDIT))
            theirs = list(plans_for(people["outsider"]))
        permission_reads = [q for q in queries if "planuserobjectpermission" in q["sql"].lower()]
        return first, editable, theirs, len(permission_reads)

    first, editable, theirs, permission_reads = _run("GET", inside)
    assert first == [[plan]] * 3
    assert editable == []  # the viewer's grant is view only: the level is part of the key
    assert theirs == [other_plan]  # and so is the user
    assert permission_reads == 3  # viewer at VIEW, viewer at EDIT, outsider at VIEW; not 5


def test_the_memo_keeps_an_api_token_to_its_organisation(people, plan, other_plan):
    owner = people["owner"]
    MembershipFactory(organisation=people["other_org"], user=owner, role=Role.OWNER)

    def inside():
        both = set(plans_for(owner))
        owner.api_token_organisation_id = plan.organisation_id
        try:
            scoped = set(plans_for(owner))
        finally:
            del owner.api_token_organisation_id
        return both, scoped

    both, scoped = _run("GET", inside)
    assert both == {plan, other_plan}
    assert scoped == {plan}


def test_anonymous_users_reach_no_plan_inside_a_read(plan):
    from django.contrib.auth.models import AnonymousUser

    assert _run("GET", lambda: (plan_ids_for(AnonymousUser()), list(plans_for(AnonymousUser())))) == (None, [])


def test_a_list_request_reads_the_permissions_once(api_for, people, plan):
    services.persona_create(plan=plan, actor=people["owner"], name="Active Alex")
    with CaptureQueriesContext(connection) as queries:
        response = api_for(people["editor"]).get("/api/v1/personas/", {"plan": plan.pk})
    assert [row["name"] for row in response.json()["results"]] == ["Active Alex"]
    assert len([q for q in queries if "plangroupobjectpermission" in q["sql"].lower()]) == 1


def test_another_tenants_objects_stay_404_and_absent_under_the_memo(api_for, people, plan, other_plan):
    theirs = services.persona_create(plan=other_plan, actor=people["outsider"], name="Their persona")
    ours = services.persona_create(plan=plan, actor=people["owner"], name="Our persona")
    api = api_for(people["editor"])
    assert api.get(f"/api/v1/personas/{theirs.pk}/").status_code == 404
    assert [row["id"] for row in api.get("/api/v1/personas/").json()["results"]] == [ours.pk]
    refused = api.get("/api/v1/personas/", {"plan": other_plan.pk})
    missing = api.get("/api/v1/personas/", {"plan": 999999})
    assert refused.status_code == missing.status_code == 400
    assert fields(refused)["plan"] == fields(missing)["plan"]


# Filters -------------------------------------------------------------------------------------------------------


def test_a_request_builds_only_the_filters_it_names():
    assert list(given_filters_only(TouchpointFilter, {"plan": "1"}).base_filters) == ["plan"]
    assert list(given_filters_only(TouchpointFilter, {"page_size": "10"}).base_filters) == []
    narrowed = given_filters_only(FeedbackFilter, {"responded_on_after": "2027-01-01", "search": "late"})
    assert sorted(narrowed.base_filters) == ["responded_on", "search"]
    assert given_filters_only(TouchpointFilter, {"plan": "1"}) is given_filters_only(TouchpointFilter, {"plan": "2"})
    assert "team" in TouchpointFilter.base_filters  # the class itself, for the schema and the form, keeps them all


def test_filters_still_filter_and_the_browsable_form_shows_every_filter(client_for, api_for, people, plan):
    other = PlanFactory(organisation=plan.organisation)
    services.persona_create(plan=plan, actor=people["owner"], name="In the plan")
    services.persona_create(plan=other, actor=people["owner"], name="In the other plan")
    api = api_for(people["admin"])
    assert [r["name"] for r in api.get("/api/v1/personas/", {"plan": plan.pk}).json()["results"]] == ["In the plan"]
    page = client_for(people["admin"]).get("/api/v1/personas/", HTTP_ACCEPT="text/html").content.decode()
    assert 'name="evidence"' in page and 'name="updated_since"' in page


# Serializers ---------------------------------------------------------------------------------------------------


def _serializer_for(method, user):
    request = getattr(RequestFactory(), method.lower())("/")
    request.user = user
    return PersonaSerializer(context={"request": request})


def test_reads_skip_scoping_and_their_related_fields_accept_nothing(people, plan):
    reading = _serializer_for("GET", people["admin"])
    assert not reading.fields["plan"].queryset.exists()
    assert not reading.fields["preferred_channels"].child_relation.queryset.exists()
    writing = _serializer_for("POST", people["admin"])
    assert list(writing.fields["plan"].queryset) == [plan]


def test_the_browsable_api_offers_a_json_form_and_no_other_organisations_plans(client_for, people, plan,
                                                                               other_plan):
    page = client_for(people["admin"]).get("/api/v1/personas/", HTTP_ACCEPT="text/html")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="_content"' in html  # the raw JSON form: writes take JSON only
    assert 'value="application/json"' in html and "multipart/form-data" not in html
    assert f'<option value="{other_plan.pk}"' not in html and other_plan.name not in html
    assert Plan.objects.filter(pk=other_plan.pk).exists()


def test_the_prebuilt_plan_ids_query_answers_what_the_queryset_answers(people, plan, other_plan, org):
    """tenancy.access builds the visible-plans SQL once per process with stand-in values; for every role, grant
    kind (direct, through a team, none), token scope and level it must find exactly the queryset's plans."""
    from tenancy.access import _plans_for, _read_plan_ids
    from tests.factories import member, team_with

    managed_elsewhere = PlanFactory(organisation=people["other_org"], name="Other company's second plan")
    direct = PlanFactory(organisation=org, name="Shared with Eddie directly")
    tenancy_services.plan_grant(plan=direct, actor=None, user=people["editor"], access=Access.MANAGE)
    both = member(people["other_org"], Role.EDITOR, username="both")
    Membership.objects.create(organisation=org, user=both, role=Role.VIEWER)
    tenancy_services.plan_grant(plan=plan, actor=None, team=team_with(org, both, name="Both"), access=Access.EDIT)
    tenancy_services.plan_grant(plan=managed_elsewhere, actor=None, user=both, access=Access.EDIT)
    users = [people[name] for name in ("owner", "admin", "editor", "viewer", "outsider")] + [both]
    checked = 0
    for user in users:
        for scope in (None, org.pk, people["other_org"].pk):
            user.api_token_organisation_id = scope
            for access in (Access.VIEW, Access.EDIT, Access.MANAGE):
                expected = sorted(_plans_for(user, access).values_list("pk", flat=True))
                assert sorted(_read_plan_ids(user, access)) == expected, (user.username, scope, access)
                checked += bool(expected)
    assert checked > 20  # most combinations see something: the comparison is not between empty lists

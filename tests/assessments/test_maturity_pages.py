"""The digital maturity pages: permission matrix, everyone's vote, the agreed position (editors, stale-safe)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import MaturityAssessment, MaturityVote
from tests.conftest import ROLES

LOGIN = 302


@pytest.fixture
def assessment(plan, people):
    earlier = services.maturity_assessment_create(plan=plan, actor=None, assessed_on=date(2026, 3, 1), channel_level=1,
                                                  engagement_level=2)
    assessment = services.maturity_assessment_create(
        plan=plan, actor=None, assessed_on=date(2026, 10, 15), channel_level=1, engagement_level=3,
        target_channel_level=4, target_engagement_level=4, notes="Email is our only real channel.")
    services.maturity_vote_cast(assessment=assessment, actor=people["owner"], channel_level=2, engagement_level=3)
    assessment.earlier = earlier
    return assessment


def _args(name, plan, assessment):
    return [plan.pk] if name in ("maturity", "maturity_create") else [plan.pk, assessment.pk]


GET_PAGES = [
    ("maturity", [LOGIN, 404, 200, 200, 200, 200]),
    ("maturity_create", [LOGIN, 404, 403, 200, 200, 200]),
    ("maturity_detail", [LOGIN, 404, 200, 200, 200, 200]),
    ("maturity_edit", [LOGIN, 404, 403, 200, 200, 200]),
    ("maturity_delete", [LOGIN, 404, 403, 200, 200, 200]),
]


@pytest.mark.parametrize(("name", "expected"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_matrix(client_for, people, plan, assessment, name, expected, role_index):
    role = ROLES[role_index]
    response = client_for(people[role]).get(reverse(name, args=_args(name, plan, assessment)))
    assert response.status_code == expected[role_index]
    body = response.content.decode()
    if response.status_code == 200:
        assert plan.name in body
        if name in ("maturity", "maturity_detail"):
            assert '<svg xmlns="http://www.w3.org/2000/svg" class="maturity-grid"' in body
            assert "channels I, engagement III" in body and "channels IV, engagement IV" in body
            assert ("New assessment" in body) == (name == "maturity" and role != "viewer")
        if name == "maturity_detail":
            assert 'action="%s"' % reverse("maturity_vote", args=[plan.pk, assessment.pk]) in body
            assert ("Save the agreed position" in body) == (role != "viewer")
            assert "Single channel (e.g. email only)" in body  # each level's description is shown
    elif response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    elif response.status_code == 404:
        assert plan.name not in body and "Email is our only real channel" not in body


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 302, 302, 302, 302], strict=True)))
def test_every_participant_votes_viewers_included(client_for, people, plan, assessment, role, expected):
    url = reverse("maturity_vote", args=[plan.pk, assessment.pk])
    response = client_for(people[role]).post(url, {"channel_level": "1", "engagement_level": "4"})
    assert response.status_code == expected
    voted = MaturityVote.objects.filter(assessment=assessment, channel_level=1, engagement_level=4)
    assert voted.exists() == (role not in ("anon", "outsider"))
    if role not in ("anon", "outsider"):
        assert response["Location"].endswith(reverse("maturity_detail", args=[plan.pk, assessment.pk]) + "#grid")


def test_voting_again_replaces_the_vote_and_shows_it(client_for, people, plan, assessment):
    client = client_for(people["viewer"])
    url = reverse("maturity_vote", args=[plan.pk, assessment.pk])
    client.post(url, {"channel_level": "1", "engagement_level": "1"})
    page = client.post(url, {"channel_level": "3", "engagement_level": "2"}, follow=True).content.decode()
    assert MaturityVote.objects.get(assessment=assessment, participant=people["viewer"]).channel_level == 3
    assert "Your position is recorded: channels III, engagement II." in page
    assert 'data-channel="3" data-engagement="2" data-count="1"' in page
    assert "Change my vote" in page


def test_a_vote_needs_both_axes(client_for, people, plan, assessment):
    url = reverse("maturity_vote", args=[plan.pk, assessment.pk])
    response = client_for(people["viewer"]).post(url, {"channel_level": "2"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not MaturityVote.objects.filter(participant=people["viewer"]).exists()


def _position(assessment, **changes):
    data = {"assessed_on": assessment.assessed_on.isoformat(), "channel_level": "1", "engagement_level": "3",
            "target_channel_level": "4", "target_engagement_level": "4", "notes": assessment.notes,
            "version": assessment.version}
    return {**data, **changes}


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_only_editors_record_the_agreed_position(client_for, people, plan, assessment, role, expected):
    url = reverse("maturity_edit", args=[plan.pk, assessment.pk])
    response = client_for(people[role]).post(url, _position(assessment, channel_level="2", target_channel_level="3"))
    assert response.status_code == expected
    assessment.refresh_from_db()
    assert (assessment.channel_level, assessment.target_channel_level) == ((2, 3) if expected == 302 and role != "anon"
                                                                          else (1, 4))


def test_a_stale_position_shows_their_values_and_keeps_mine(client_for, people, plan, assessment):
    data = _position(assessment, target_engagement_level="3")
    services.maturity_assessment_update(assessment=MaturityAssessment.objects.get(pk=assessment.pk),
                                        actor=people["admin"], target_channel_level=2)
    response = client_for(people["editor"]).post(reverse("maturity_edit", args=[plan.pk, assessment.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Saved meanwhile by someone else" in body
    assert "<dt>Target channel level</dt><dd>II</dd>" in body  # theirs
    assert '<option value="3" selected>III · Real-time</option>' in body  # mine, kept in the form
    assert f'name="version" value="{assessment.version + 1}"' in body
    second = client_for(people["editor"]).post(reverse("maturity_edit", args=[plan.pk, assessment.pk]),
                                               {**data, "version": assessment.version + 1})
    assert second.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.target_channel_level, assessment.target_engagement_level) == (4, 3)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_creating_an_assessment_needs_edit_access(client_for, people, plan, role, expected):
    response = client_for(people[role]).post(reverse("maturity_create", args=[plan.pk]), {"assessed_on": "2027-02-03"})
    assert response.status_code == expected
    created = MaturityAssessment.objects.filter(plan=plan, assessed_on=date(2027, 2, 3)).first()
    assert (created is not None) == (expected == 302 and role != "anon")
    if created:
        assert response["Location"] == reverse("maturity_detail", args=[plan.pk, created.pk])


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 403, 302, 302, 302], strict=True)))
def test_deleting_an_assessment_needs_edit_access(client_for, people, plan, assessment, role, expected):
    url = reverse("maturity_delete", args=[plan.pk, assessment.pk])
    response = client_for(people[role]).post(url, {"version": assessment.version})
    assert response.status_code == expected
    assert MaturityAssessment.objects.filter(pk=assessment.pk).exists() == (expected != 302 or role == "anon")


def test_an_assessment_of_another_plan_is_not_found_through_this_plan(client_for, people, plan, other_plan):
    theirs = services.maturity_assessment_create(plan=other_plan, actor=None, assessed_on=date(2026, 1, 1))
    response = client_for(people["owner"]).get(reverse("maturity_detail", args=[plan.pk, theirs.pk]))
    assert response.status_code == 404


def test_the_list_shows_progress_over_time(client_for, people, plan, assessment):
    body = client_for(people["viewer"]).get(reverse("maturity", args=[plan.pk])).content.decode()
    assert body.index("Oct. 15, 2026") < body.index("March 1, 2026")  # newest first
    assert 'class="mg-earlier" data-channel="1" data-engagement="2"' in body  # the earlier position, faintly
    assert 'class="mg-trail"' in body


def test_the_plan_overview_links_to_maturity_and_audits(client_for, people, plan):
    body = client_for(people["viewer"]).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f'href="{reverse("maturity", args=[plan.pk])}"' in body
    assert f'href="{reverse("audits", args=[plan.pk])}"' in body


def test_the_detail_page_query_count_does_not_grow_with_votes(client_for, people, plan, assessment):
    from tests.factories import member

    client = client_for(people["editor"])
    url = reverse("maturity_detail", args=[plan.pk, assessment.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(12):
        voter = member(plan.organisation, "owner", username=f"voter{i}")
        services.maturity_vote_cast(assessment=assessment, actor=voter, channel_level=1 + i % 4,
                                    engagement_level=1 + i % 3)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "13 participants, spread over channels I–IV and engagement I–III" in body
    assert len(few) == len(many)

"""The history reads like the rest of the site: times in the reader's time zone and language, numbers with their
decimal mark, and a refused save lists only what it would have changed."""

import re

import pytest
from django.urls import reverse

from core.versioning import StaleVersion
from planning import services
from planning.models import Stakeholder
from tenancy.models import Activity


@pytest.fixture
def stakeholder(plan, people, team):
    return services.stakeholder_create(plan=plan, actor=people["owner"], name="Claire Dubois",
                                       title="Head of customer service", team=team, objective="Agents who upsell.")


def history(client_for, people, plan, language="en") -> str:
    return client_for(people["viewer"]).get(reverse("plan_activity", args=[plan.pk]),
                                            HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_refused_save_lists_only_the_fields_it_would_have_changed(client_for, people, plan, team, stakeholder):
    services.stakeholder_update(stakeholder=Stakeholder.objects.get(pk=stakeholder.pk), actor=people["admin"],
                                objective="Agents who upsell and stay.")
    stale = Stakeholder.objects.get(pk=stakeholder.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):  # the whole form comes back: the team and title are as saved
        services.stakeholder_update(stakeholder=stale, actor=people["editor"], title="Chief of agents", team=team,
                                    objective="Agents who upsell and stay.")
    refused = Activity.objects.get(verb="refused")
    assert list(refused.changes) == ["title"]
    body = history(client_for, people, plan)
    item = body[body.index("verb-refused"):]
    item = item[:item.index("</li>")]
    assert "Chief of agents" in item and "Head of customer service" in item
    assert "Customer service" not in item and "Agents who upsell and stay." not in item


def test_an_older_refused_record_hides_its_unchanged_fields_too(client_for, people, plan, team, stakeholder):
    Activity.objects.create(organisation=plan.organisation, plan=plan, actor=people["editor"], verb="refused",
                            target_type="planning.stakeholder", target_id=stakeholder.pk, target_repr="Claire",
                            version=1, changes={"team": [team.pk, team.pk], "title": ["A", "A"]})
    item = history(client_for, people, plan)
    item = item[item.index("verb-refused"):]
    item = item[:item.index("</li>")]
    assert "Customer service" not in item and "It would not have changed any value." in item


@pytest.mark.parametrize(("language", "shown", "number"), [("en", "03/01/2027 10:30 a.m.", "0.5"),
                                                           ("fr", "01/03/2027 10:30", "0,5")])
def test_times_and_numbers_in_a_change_read_in_the_readers_time_zone_and_language(client_for, people, plan, language,
                                                                                   shown, number):
    Activity.objects.create(organisation=plan.organisation, plan=plan, actor=people["editor"], verb="updated",
                            target_type="roadmaps.export", target_id=1, target_repr="PDF",
                            changes={"started_at": [None, "2027-03-01T09:30:00+00:00"]})
    Activity.objects.create(organisation=plan.organisation, plan=plan, actor=people["editor"], verb="updated",
                            target_type="roadmaps.roadmapitem", target_id=1, target_repr="CRM",
                            changes={"impact": ["0.50", "2.00"]})
    body = history(client_for, people, plan, language)
    assert shown in body  # Europe/Paris: UTC+1 in March
    assert "2027-03-01T09:30" not in body and "+00:00" not in body
    assert re.search(rf'<td class="before">{re.escape(number)}</td>', body)
    assert '<td class="after">2</td>' in body

"""The edit-page pattern (core/editing.py), through a real resource's pages: the stakeholders of a plan."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.editing import apply_errors, keep_typed
from core.forms import ConfirmDeleteForm
from planning import services
from planning.forms_catalogue import StakeholderForm
from planning.models import Stakeholder
from tenancy.models import Activity


@pytest.fixture
def stakeholder(plan, people, team):
    return services.stakeholder_create(plan=plan, actor=people["owner"], name="Claire Dubois",
                                       title="Head of customer service", team=team, objective="Happier agents.")


def _saved_meanwhile(stakeholder, people, **changes) -> None:
    services.stakeholder_update(stakeholder=Stakeholder.objects.get(pk=stakeholder.pk), actor=people["admin"],
                                **changes)


def _data(stakeholder, **overrides) -> dict:
    return {"name": stakeholder.name, "title": stakeholder.title, "team": stakeholder.team_id,
            "objective": stakeholder.objective, "version": stakeholder.version, **overrides}


def _texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_creating_says_so_and_goes_back_to_the_list(client_for, people, plan, team):
    data = {"name": "Marc Petit", "title": "Store manager", "team": team.pk, "objective": "Fewer queues."}
    response = client_for(people["editor"]).post(reverse("stakeholder_create", args=[plan.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("stakeholders", args=[plan.pk])
    assert _texts(response) == ["Stakeholder “Marc Petit” added."]
    assert plan.stakeholders.get(name="Marc Petit").title == "Store manager"


def test_an_invalid_create_shows_the_form_again_and_saves_nothing(client_for, people, plan):
    response = client_for(people["editor"]).post(reverse("stakeholder_create", args=[plan.pk]), {"title": "No name"})
    assert response.status_code == 200 and 'value="No name"' in response.content.decode()
    assert not plan.stakeholders.exists() and _texts(response) == []


def test_saving_says_so_with_the_new_name(client_for, people, plan, stakeholder):
    url = reverse("stakeholder_edit", args=[plan.pk, stakeholder.pk])
    response = client_for(people["editor"]).post(url, _data(stakeholder, name="Claire Martin"))
    assert response.status_code == 302 and _texts(response) == ["Stakeholder “Claire Martin” saved."]
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Claire Martin" and stakeholder.version == 2


def test_a_stale_edit_shows_their_values_beside_mine_and_saves_nothing(client_for, people, plan, stakeholder):
    _saved_meanwhile(stakeholder, people, title="Their title")
    url = reverse("stakeholder_edit", args=[plan.pk, stakeholder.pk])
    response = client_for(people["editor"]).post(url, _data(stakeholder, title="My title", version=1))
    body = response.content.decode()
    assert response.status_code == 200 and _texts(response) == []
    assert "Someone else saved this stakeholder while you were editing." in body
    assert "Saved meanwhile by someone else" in body and "<dd>Their title</dd>" in body  # theirs, beside...
    assert 'value="My title"' in body  # ...mine, still in the form
    assert 'name="version" value="2"' in body  # the next save is based on their version
    stakeholder.refresh_from_db()
    assert stakeholder.title == "Their title" and stakeholder.version == 2
    assert Activity.objects.filter(target_id=stakeholder.pk, verb="refused").exists()


def test_a_stale_delete_is_refused_and_asks_to_confirm_again(client_for, people, plan, stakeholder):
    _saved_meanwhile(stakeholder, people, name="Claire Martin")
    client = client_for(people["editor"])
    url = reverse("stakeholder_delete", args=[plan.pk, stakeholder.pk])
    response = client.post(url, {"version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed this stakeholder meanwhile. Check it is still the one to remove" in body
    assert "Delete “Claire Martin”?" in body and 'name="version" value="2"' in body  # as it is now
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    response = client.post(url, {"version": 2})
    assert response.status_code == 302 and _texts(response) == ["Stakeholder “Claire Martin” removed."]
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_the_messages_keep_their_french_translations(client_for, people, plan, stakeholder):
    people["editor"].preferred_language = "fr"
    people["editor"].save()
    url = reverse("stakeholder_delete", args=[plan.pk, stakeholder.pk])
    response = client_for(people["editor"]).post(url, {"version": stakeholder.version})
    assert _texts(response) == ["Partie prenante «\u00a0Claire Dubois\u00a0» retirée."]


def test_viewers_may_not_open_the_pages_and_anonymous_people_sign_in_first(client_for, people, plan, stakeholder):
    for name, args in [("stakeholder_create", [plan.pk]), ("stakeholder_edit", [plan.pk, stakeholder.pk]),
                       ("stakeholder_delete", [plan.pk, stakeholder.pk])]:
        assert client_for(people["viewer"]).get(reverse(name, args=args)).status_code == 403
        assert client_for(people["outsider"]).get(reverse(name, args=args)).status_code == 404
        response = client_for(None).get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_apply_errors_puts_field_errors_on_their_fields_and_the_rest_on_top(org):
    form = StakeholderForm({"name": "x", "version": 1}, organisation=org)
    assert form.is_valid()
    apply_errors(form, ValidationError({"title": "Too formal.", "elsewhere": "Not a field."}))
    assert form.errors["title"] == ["Too formal."] and form.non_field_errors() == ["Not a field."]


def test_keep_typed_bases_the_next_save_on_their_version(org, plan, people, stakeholder):
    _saved_meanwhile(stakeholder, people, title="Theirs")
    form = ConfirmDeleteForm({"version": "1"})
    assert form.is_valid()
    keep_typed(form, Stakeholder.objects.get(pk=stakeholder.pk), "Changed meanwhile.")
    assert form.data["version"] == 2 and form.non_field_errors() == ["Changed meanwhile."]

"""Workshop tools: dot voting (N dots each, hidden until the facilitator reveals them) and the timer; the workshop
page, the voting endpoints and the live bar on every live page, with their permission matrices."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from planning import services
from planning.models import Channel
from tests.conftest import ROLES
from tests.support import postgres_in_use, require
from workshops import selectors
from workshops.models import Vote, VotingSession, WorkshopTimer
from workshops.services import voting as workshops

LOGIN = 302


@pytest.fixture
def world(org, people, plan, team):
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=people["owner"], name="Buy trail shoes", template="purchase")
    other = services.journey_create(plan=plan, actor=people["owner"], name="Return shoes", template="purchase")
    stage = journey.stages.order_by("position").first()
    web = Channel.objects.get(organisation=org, name="Website")
    cards = [services.touchpoint_create(stage=stage, channel=web, actor=people["owner"], name=f"Card {i}")
             for i in range(4)]
    elsewhere = services.touchpoint_create(stage=other.stages.first(), channel=web, actor=people["owner"],
                                           name="Elsewhere")
    return {"journey": journey, "cards": cards, "elsewhere": elsewhere}


def start(plan, people, **options):
    return workshops.voting_session_start(plan=plan, actor=people["owner"], **options)


# Voting rules ----------------------------------------------------------------------------------------------------


def test_each_participant_places_at_most_n_dots_one_per_target(plan, people, world):
    session = start(plan, people, votes_per_participant=2)
    first, second, third = world["cards"][:3]
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=first.pk)
    with pytest.raises(ValidationError, match="already placed a dot here"):
        workshops.vote_cast(session=session, actor=people["viewer"], target_id=first.pk)
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=second.pk)
    with pytest.raises(ValidationError, match="used your 2 votes"):
        workshops.vote_cast(session=session, actor=people["viewer"], target_id=third.pk)
    workshops.vote_withdraw(session=session, actor=people["viewer"], target_id=first.pk)
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=third.pk)
    # Someone else has their own dots.
    workshops.vote_cast(session=session, actor=people["editor"], target_id=third.pk)
    mine = selectors.workshop_personal_state(user=people["viewer"], plan_id=plan.pk, session=session)
    assert mine == {"votes": sorted([second.pk, third.pk])}


def test_the_dots_stay_hidden_until_the_reveal_which_ends_the_voting(plan, people, world):
    session = start(plan, people, votes_per_participant=3, question="Fix first?")
    first, second = world["cards"][:2]
    for who in ("viewer", "editor", "admin"):
        workshops.vote_cast(session=session, actor=people[who], target_id=first.pk)
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=second.pk)
    hidden = selectors.workshop_public_state(plan_id=plan.pk)["session"]
    assert hidden["status"] == "open" and (hidden["cast"], hidden["voters"]) == (4, 3) and "totals" not in hidden
    with pytest.raises(PermissionDenied):
        workshops.voting_session_reveal(session=session, actor=people["editor"])
    workshops.voting_session_reveal(session=session, actor=people["admin"])
    shown = selectors.workshop_public_state(plan_id=plan.pk)["session"]
    assert shown["status"] == "revealed" and shown["totals"] == {str(first.pk): 3, str(second.pk): 1}
    assert [(row["label"], row["votes"]) for row in selectors.vote_ranking(session)] == [("Card 0", 3), ("Card 1", 1)]
    with pytest.raises(ValidationError, match="voting is over"):
        workshops.vote_cast(session=VotingSession.objects.get(pk=session.pk), actor=people["owner"],
                            target_id=first.pk)
    with pytest.raises(ValidationError, match="voting is over"):
        workshops.vote_withdraw(session=VotingSession.objects.get(pk=session.pk), actor=people["viewer"],
                                target_id=first.pk)


def test_one_session_at_a_time_and_a_closed_one_keeps_its_votes(plan, people, world):
    session = start(plan, people)
    with pytest.raises(ValidationError, match="already running"):
        start(plan, people)
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=world["cards"][0].pk)
    workshops.voting_session_close(session=session, actor=people["owner"])
    assert selectors.workshop_public_state(plan_id=plan.pk)["session"] is None
    assert Vote.objects.filter(session=session).count() == 1
    start(plan, people, target_kind="roadmap_item")


def test_only_the_sessions_targets_take_dots(plan, other_plan, people, world):
    session = start(plan, people, journey=world["journey"])
    with pytest.raises(ValidationError, match="not one of the things"):
        workshops.vote_cast(session=session, actor=people["viewer"], target_id=world["elsewhere"].pk)
    with pytest.raises(ValidationError, match="journey must belong"):
        workshops.voting_session_start(plan=other_plan, actor=people["outsider"], journey=world["journey"])
    workshops.voting_session_close(session=session, actor=people["owner"])
    with pytest.raises(ValidationError, match="Only a vote on touchpoints"):
        start(plan, people, target_kind="roadmap_item", journey=world["journey"])


def test_roadmap_items_take_dots_in_a_roadmap_session(plan, people, world):
    from roadmaps import services as roadmap_services

    item = roadmap_services.roadmap_item_create(plan=plan, actor=people["owner"], title="Real-time stock API")
    session = start(plan, people, target_kind="roadmap_item", votes_per_participant=1)
    with pytest.raises(ValidationError):
        workshops.vote_cast(session=session, actor=people["viewer"], target_id=item.pk + 1000)
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=item.pk)
    workshops.voting_session_reveal(session=session, actor=people["owner"])
    assert selectors.vote_ranking(session) == [{"id": item.pk, "label": "Real-time stock API", "votes": 1,
                                                "dots": "●"}]


@pytest.mark.parametrize("who", ["viewer", "editor"])
def test_facilitating_needs_manage_access_and_outsiders_cannot_vote(plan, people, world, who):
    with pytest.raises(PermissionDenied):
        start(plan, {"owner": people[who]})
    session = start(plan, people)
    with pytest.raises(PermissionDenied):
        workshops.voting_session_close(session=session, actor=people[who])
    with pytest.raises(PermissionDenied):
        workshops.timer_control(plan=plan, actor=people[who], action="start")
    with pytest.raises(PermissionDenied):
        workshops.vote_cast(session=session, actor=people["outsider"], target_id=world["cards"][0].pk)


def test_votes_per_participant_is_bounded(plan, people):
    with pytest.raises(ValidationError):
        start(plan, people, votes_per_participant=0)
    with pytest.raises(ValidationError):
        start(plan, people, votes_per_participant=21)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_dots_cannot_pass_the_limit(plan, people, world):
    """Two requests of the same participant at once, on PostgreSQL: the session row lock lets one count at a time."""
    require(postgres_in_use(), "Row locks need PostgreSQL: set DATABASE_URL=postgres://…")
    session = start(plan, people, votes_per_participant=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def cast(target):
        try:
            barrier.wait()
            workshops.vote_cast(session=session, actor=people["viewer"], target_id=target.pk)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=cast, args=(card,)) for card in world["cards"][:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Vote.objects.filter(session=session, participant=people["viewer"]).count() == 1


# Timer -----------------------------------------------------------------------------------------------------------


def test_an_ended_timer_says_how_long_ago_so_the_pages_clear_time_is_up(plan, people, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    timer = workshops.timer_control(plan=plan, actor=people["owner"], action="start", minutes=1)
    running = selectors.timer_state(timer)
    assert (running["remaining"], running["overdue"], running["up_for"]) == (60, 0, selectors.TIME_UP_SHOWN_SECONDS)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=95))
    assert (selectors.timer_state(timer)["remaining"], selectors.timer_state(timer)["overdue"]) == (0, 35)
    assert selectors.TIME_UP_SHOWN_SECONDS == 60


def test_the_timer_starts_pauses_resumes_and_resets(plan, people, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    timer = workshops.timer_control(plan=plan, actor=people["owner"], action="start", minutes=10)
    assert timer.ends_at == now + timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=3))
    timer = workshops.timer_control(plan=plan, actor=people["owner"], action="pause", minutes=10)
    assert (timer.ends_at, timer.remaining_seconds) == (None, 420)
    assert selectors.timer_state(timer) == {"duration": 600, "running": False, "remaining": 420, "ends_at": None,
                                            "overdue": 0, "up_for": selectors.TIME_UP_SHOWN_SECONDS}
    timer = workshops.timer_control(plan=plan, actor=people["owner"], action="start", minutes=10)  # resumes
    assert timer.ends_at == now + timedelta(minutes=10)
    timer = workshops.timer_control(plan=plan, actor=people["owner"], action="start", minutes=5)  # new duration
    assert timer.ends_at == now + timedelta(minutes=8) and timer.duration_seconds == 300
    timer = workshops.timer_control(plan=plan, actor=people["owner"], action="reset")
    assert (timer.ends_at, timer.remaining_seconds) == (None, 300)
    with pytest.raises(ValidationError):
        workshops.timer_control(plan=plan, actor=people["owner"], action="start", minutes=500)
    with pytest.raises(ValidationError):
        workshops.timer_control(plan=plan, actor=people["owner"], action="explode")
    assert WorkshopTimer.objects.count() == 1


# Pages and endpoints ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_the_workshop_page_matrix(client_for, people, plan, world, role, expected):
    session = start(plan, people, question="Which touchpoints first?")
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=world["cards"][0].pk)
    response = client_for(people[role]).get(reverse("workshop", args=[plan.pk]))
    assert response.status_code == expected
    body = response.content.decode()
    if expected == 200:
        assert "Which touchpoints first?" in body and "1 dot placed, by 1 participant" in body
        assert ("Reveal the votes" in body) == (role in ("admin", "owner"))
        assert 'id="live-config"' in body and "js/live.js" in body
    if expected == 404:
        assert "Which touchpoints" not in body


def _post_matrix(client_for, people, role, url, data=None):
    return client_for(people[role]).post(url, data or {})


MANAGE = [LOGIN, 404, 403, 403, 302, 302]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, MANAGE, strict=True)))
def test_starting_a_vote_needs_manage_access(client_for, people, plan, role, expected):
    response = _post_matrix(client_for, people, role, reverse("voting_start", args=[plan.pk]),
                            {"target_kind": "touchpoint", "votes_per_participant": 3, "question": "Now?"})
    assert response.status_code == expected
    assert VotingSession.objects.filter(question="Now?").exists() == (expected == 302 and role != "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, MANAGE, strict=True)))
@pytest.mark.parametrize("step", ["voting_reveal", "voting_close"])
def test_revealing_and_closing_need_manage_access(client_for, people, plan, role, expected, step):
    session = start(plan, people)
    response = _post_matrix(client_for, people, role, reverse(step, args=[plan.pk, session.pk]),
                            {"version": session.version})
    assert response.status_code == expected
    session.refresh_from_db()
    field = session.revealed_at if step == "voting_reveal" else session.closed_at
    assert (field is not None) == (expected == 302 and role != "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, MANAGE, strict=True)))
def test_the_timer_needs_manage_access(client_for, people, plan, role, expected):
    response = _post_matrix(client_for, people, role, reverse("workshop_timer", args=[plan.pk]),
                            {"action": "start", "minutes": "5"})
    assert response.status_code == expected
    assert WorkshopTimer.objects.filter(plan=plan, ends_at__isnull=False).exists() == (
        expected == 302 and role != "anon")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_every_participant_votes_through_the_endpoint(client_for, people, plan, world, role, expected):
    start(plan, people, votes_per_participant=2)
    card = world["cards"][0]
    client = client_for(people[role])
    response = client.post(reverse("workshop_vote", args=[plan.pk]), {"target": card.pk})
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert data["mine"] == {"votes": [card.pk]} and data["session"]["cast"] == 1
        assert "totals" not in data["session"]
        again = client.post(reverse("workshop_vote", args=[plan.pk]), {"target": card.pk})
        assert again.status_code == 400 and "already placed a dot" in again.json()["detail"]
        back = client.post(reverse("workshop_vote", args=[plan.pk]), {"target": card.pk, "action": "withdraw"})
        assert back.json()["mine"] == {"votes": []}
    assert Vote.objects.count() == 0


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [LOGIN, 404, 200, 200, 200, 200], strict=True)))
def test_the_workshop_state_matrix(client_for, people, plan, world, role, expected):
    session = start(plan, people)
    workshops.vote_cast(session=session, actor=people["editor"], target_id=world["cards"][1].pk)
    response = client_for(people[role]).get(reverse("workshop_state", args=[plan.pk]))
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert data["session"]["cast"] == 1 and "totals" not in data["session"]
        assert data["mine"] == {"votes": [world["cards"][1].pk] if role == "editor" else []}


def test_voting_without_a_session_says_so(client_for, people, plan, world):
    response = client_for(people["viewer"]).post(reverse("workshop_vote", args=[plan.pk]),
                                                 {"target": world["cards"][0].pk})
    assert response.status_code == 409 and "No voting is open" in response.json()["detail"]


def test_the_revealed_ranking_shows_on_the_workshop_page(client_for, people, plan, world):
    session = start(plan, people)
    workshops.vote_cast(session=session, actor=people["viewer"], target_id=world["cards"][2].pk)
    workshops.vote_cast(session=session, actor=people["editor"], target_id=world["cards"][2].pk)
    workshops.voting_session_reveal(session=session, actor=people["owner"])
    body = client_for(people["viewer"]).get(reverse("workshop", args=[plan.pk])).content.decode()
    assert "●●</span> <strong>2</strong> · Card 2" in body


# The live bar on each live page ------------------------------------------------------------------------------


def _live_config(body):
    import json
    import re

    match = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1)) if match else None


def test_the_journey_map_carries_the_live_bar_with_the_plan_and_page(client_for, people, plan, world):
    start(plan, people)
    body = client_for(people["viewer"]).get(reverse("journey_map", args=[world["journey"].pk])).content.decode()
    config = _live_config(body)
    assert config["plan"] == plan.pk and config["page"] == "journey-map" and config["object"] == world["journey"].pk
    assert config["ws"] == f"/ws/plans/{plan.pk}/" and config["me"] == people["viewer"].pk
    assert config["workshop"]["session"]["status"] == "open" and config["workshop"]["mine"] == {"votes": []}
    assert not config["can_edit"] and config["texts"]["live"] == "Live"
    assert 'data-plan="%d" data-page="journey-map"' % plan.pk in body and "js/live.js" in body
    printing = client_for(people["viewer"]).get(reverse("journey_map", args=[world["journey"].pk]) + "?print=1")
    assert _live_config(printing.content.decode()) is None


def test_the_replay_starts_a_few_seconds_before_the_page_was_read(client_for, people, plan, world):
    from tenancy.models import Activity

    Activity.objects.filter(plan=plan).update(created_at=timezone.now() - timedelta(minutes=1))
    services.touchpoint_create(stage=world["journey"].stages.first(), channel=world["cards"][0].channel,
                               actor=people["owner"], name="Just now")
    config = _live_config(client_for(people["viewer"]).get(
        reverse("journey_map", args=[world["journey"].pk])).content.decode())
    settled = Activity.objects.filter(plan=plan).exclude(target_repr="Just now").order_by("-id").first()
    assert config["last"] == settled.pk
    # Everything up to the page's drawing is in its counts: a replayed comment must not be counted twice.
    assert config["counted"] == Activity.objects.filter(plan=plan).order_by("-id").first().pk > config["last"]


def test_the_other_live_pages_carry_the_live_bar(client_for, people, plan, world, team):
    from assessments import services as assessment_services

    assessment = assessment_services.maturity_assessment_create(plan=plan, actor=people["owner"],
                                                                assessed_on=timezone.localdate())
    client = client_for(people["editor"])
    pages = {
        "evaluations": (reverse("touchpoint_evaluations", args=[world["cards"][0].pk]), world["cards"][0].pk),
        "maturity": (reverse("maturity_detail", args=[plan.pk, assessment.pk]), assessment.pk),
        "roadmap-board": (reverse("roadmap_board", args=[plan.pk]), None),
        "personas": (reverse("personas", args=[plan.pk]), None),
        "workshop": (reverse("workshop", args=[plan.pk]), None),
    }
    for page, (url, obj) in pages.items():
        config = _live_config(client.get(url).content.decode())
        assert (config["page"], config["object"], config["plan"]) == (page, obj, plan.pk), page
    maturity_list = _live_config(client.get(reverse("maturity", args=[plan.pk])).content.decode())
    assert (maturity_list["page"], maturity_list["object"]) == ("maturity", None)

"""The workshop page (facilitator panel: dot voting and the timer) and the participants' voting endpoint.

The facilitator is someone who manages the plan; everyone who may view the plan participates: they see the
timer and the voting, and place their dots on the journey map (touchpoints) or the roadmap board (items).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.editing import flash_errors
from core.versioning import StaleVersion
from planning import selectors
from tenancy.access import Access, plan_access, plan_for
from workshops import selectors as workshop_selectors
from workshops.forms import TimerForm, VoteForm, VotingSessionForm
from workshops.models import VotingSession
from workshops.services import voting as services


def _session_form(request, plan, data=None):
    return VotingSessionForm(data, journeys=selectors.journey_list(user=request.user, plan=plan).order_by("name"))


@login_required
@require_GET
def workshop(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    session = workshop_selectors.current_voting_session(plan_id=plan.pk)
    past = workshop_selectors.past_voting_sessions(plan_id=plan.pk, limit=5)
    for shown in ([session] if session else []) + past:
        shown.ranking = workshop_selectors.vote_ranking(shown) if shown.revealed_at else None
    timer = workshop_selectors.plan_timer_state(plan_id=plan.pk)
    access = plan_access(request.user, plan)
    return render(request, "workshops/live/workshop.html", {
        "plan": plan, "organisation": plan.organisation, "session": session, "past": past,
        "state": workshop_selectors.session_state(session), "timer": timer,
        "timer_text": _clock(timer["remaining"]) if timer else "--:--",
        "timer_minutes": f"{timer['duration'] / 60:g}" if timer else "10",
        "can_facilitate": access >= Access.MANAGE, "can_moderate": access >= Access.EDIT,
        "moderation_count": workshop_selectors.comments_awaiting_moderation(user=request.user, plan=plan).count()
        if access >= Access.EDIT else 0,
        "session_form": _session_form(request, plan), "timer_form": TimerForm(initial={"minutes": 10}),
    })


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _session(plan, session_pk) -> VotingSession:
    session = VotingSession.objects.filter(plan=plan, pk=session_pk).first()
    if session is None:
        raise Http404(_("No such voting session."))
    session.plan = plan
    return session


@login_required
@require_POST
def voting_start(request, pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    form = _session_form(request, plan, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("workshop", plan.pk)
    try:
        services.voting_session_start(plan=plan, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Voting is open: participants place their dots; nobody sees them until you "
                                    "reveal them."))
    return redirect("workshop", plan.pk)


def _facilitate(request, pk, session_pk, service, done: str):
    plan = plan_for(request.user, pk, Access.MANAGE)
    session = _session(plan, session_pk)
    version = request.POST.get("version", "")
    try:
        service(session=session, actor=request.user, version=int(version) if version.isdigit() else None)
    except StaleVersion:
        messages.warning(request, _("The session changed meanwhile (another facilitator?); here it is as it is now."))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("workshop", plan.pk)


@login_required
@require_POST
def voting_reveal(request, pk, session_pk):
    return _facilitate(request, pk, session_pk, services.voting_session_reveal, _("The votes are revealed."))


@login_required
@require_POST
def voting_close(request, pk, session_pk):
    return _facilitate(request, pk, session_pk, services.voting_session_close, _("The voting session is closed."))


@login_required
@require_POST
def timer(request, pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    form = TimerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the timer a duration between 10 seconds and 4 hours."))
        return redirect("workshop", plan.pk)
    try:
        services.timer_control(plan=plan, actor=request.user, action=form.cleaned_data["action"],
                               minutes=form.cleaned_data["minutes"])
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("workshop", plan.pk)


def _state(request, plan) -> dict:
    session = workshop_selectors.current_voting_session(plan_id=plan.pk)
    return workshop_selectors.workshop_public_state(plan_id=plan.pk) | {
        "mine": workshop_selectors.workshop_personal_state(user=request.user, plan_id=plan.pk, session=session)}


@login_required
@require_GET
def workshop_state(request, pk):
    """The public state (voting, timer) and the user's own dots, for the live pages."""
    return JsonResponse(_state(request, plan_for(request.user, pk)))


@login_required
@require_POST
def vote(request, pk):
    """Place (action=cast) or take back (action=withdraw) a dot on `target` in the running session. JSON."""
    plan = plan_for(request.user, pk)
    session = workshop_selectors.current_voting_session(plan_id=plan.pk)
    form = VoteForm(request.POST)
    if session is None:
        return JsonResponse({"detail": _("No voting is open on this plan.")}, status=409)
    if not form.is_valid():
        return JsonResponse({"detail": _("Choose what to vote for.")}, status=400)
    session.plan = plan
    try:
        if form.cleaned_data["action"] == "withdraw":
            services.vote_withdraw(session=session, actor=request.user, target_id=form.cleaned_data["target"])
        else:
            services.vote_cast(session=session, actor=request.user, target_id=form.cleaned_data["target"])
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages), **_state(request, plan)}, status=400)
    return JsonResponse(_state(request, plan))


urlpatterns = [
    path("plans/<int:pk>/workshop/", workshop, name="workshop"),
    path("plans/<int:pk>/workshop/state/", workshop_state, name="workshop_state"),
    path("plans/<int:pk>/workshop/vote/", vote, name="workshop_vote"),
    path("plans/<int:pk>/workshop/timer/", timer, name="workshop_timer"),
    path("plans/<int:pk>/workshop/voting/start/", voting_start, name="voting_start"),
    path("plans/<int:pk>/workshop/voting/<int:session_pk>/reveal/", voting_reveal, name="voting_reveal"),
    path("plans/<int:pk>/workshop/voting/<int:session_pk>/close/", voting_close, name="voting_close"),
]

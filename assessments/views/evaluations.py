"""A touchpoint's evaluation page: one card per team, edited in place with htmx, and the agreed value.

Every write sends the version the form was loaded with; a stale one is refused by the service and the card shows
the other person's values beside the typed ones. Data captured is in evaluation_data.py; the plan overview, the
heatmap and the ranked gaps in effort.py (their routes are gathered here, the one list assessments/urls.py reads).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors, services
from assessments.forms_evaluations import AgreementForm, EvaluationForm
from assessments.models import TouchpointAgreement
from assessments.views import effort, evaluation_data
from assessments.views._evaluation_helpers import (
    agreement_context,
    can_edit,
    card_context,
    evaluation_of,
    information_labels,
    is_htmx,
    respond,
    short_level,
    team_for,
    touchpoint_for,
)
from core.editing import apply_errors, keep_typed
from core.versioning import StaleVersion
from tenancy.access import Access
from tenancy.models import Team

PAGE = "touchpoint_evaluations"


@login_required
@require_GET
def touchpoint_evaluations(request, pk):
    touchpoint = touchpoint_for(request.user, pk)
    plan = touchpoint.plan
    request.session["current_organisation_id"] = plan.organisation_id
    editable = can_edit(request.user, touchpoint)
    evaluations = list(selectors.evaluation_list(user=request.user, plan=plan).filter(touchpoint=touchpoint)
                       .select_related("evaluated_by").order_by("team__name", "id"))
    by_team = {evaluation.team_id: evaluation for evaluation in evaluations}
    teams = Team.objects.filter(organisation_id=plan.organisation_id).order_by("name", "id")
    cards = [card_context(touchpoint, team, by_team.get(team.pk), editable=editable) for team in teams]
    return render(request, "assessments/evaluations/touchpoint.html", {
        "plan": plan, "organisation": plan.organisation, "tp": touchpoint, "cards": cards,
        "can_edit": editable, **agreement_context(touchpoint, editable=editable, evaluations=evaluations),
    })


@login_required
@require_GET
def evaluation_card(request, pk, team_pk):
    """One team's card as it is saved (to cancel an edit)."""
    touchpoint = touchpoint_for(request.user, pk)
    team = team_for(touchpoint, team_pk)
    context = card_context(touchpoint, team, evaluation_of(touchpoint, team),
                           editable=can_edit(request.user, touchpoint))
    return render(request, "assessments/evaluations/_team_card.html", context)


def _initial(evaluation) -> dict:
    if evaluation is None:
        return {}
    return {name: getattr(evaluation, name) for name in EvaluationForm.FIELDS} | {"version": evaluation.version}


def _their_values(form, current) -> list:
    """The other person's saved values that differ from what was typed, as (bound field, shown value)."""
    typed = form.cleaned_data
    shown = {
        "maturity": current.get_maturity_display(),
        "information_pushed": ", ".join(information_labels(current.information_pushed)) or "—",
        "feedback_mode": current.get_feedback_mode_display(),
    }
    def same(name):
        if name == "information_pushed":
            return sorted(typed.get(name) or []) == sorted(current.information_pushed or [])
        return typed.get(name) == getattr(current, name)

    return [(form[name], shown.get(name, getattr(current, name))) for name in EvaluationForm.FIELDS if not same(name)]


@login_required
def evaluation_edit(request, pk, team_pk):
    """GET: the team's evaluation form in its card; POST: create the evaluation, or update it if still at the
    version the form was loaded with."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    team = team_for(touchpoint, team_pk)
    evaluation = evaluation_of(touchpoint, team)
    form = EvaluationForm(request.POST or None, initial=_initial(evaluation), auto_id=f"ev-{team.pk}-%s")
    theirs = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if evaluation is not None and version is None:
                # Someone evaluated for this team after this form was loaded empty: do not overwrite them.
                raise StaleVersion(evaluation)
            if evaluation is None and version is not None:
                keep_typed(form, None, _("This evaluation was removed meanwhile. Save again to create it anew."))
                return respond(request, touchpoint, team, None, form=form)
            if evaluation is None:
                evaluation = services.evaluation_create(touchpoint=touchpoint, team=team, actor=request.user,
                                                        **form.values())
                text = _("Evaluation by %s added.") % team.name
            else:
                services.evaluation_update(evaluation=evaluation, actor=request.user, version=version,
                                           **form.values())
                text = _("Evaluation by %s saved.") % team.name
        except StaleVersion as stale:
            theirs = _their_values(form, stale.current)
            keep_typed(form, stale.current, _("Someone else saved this evaluation while you were editing. Their "
                                               "values are shown above yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not is_htmx(request):
                messages.success(request, text)
                return redirect(PAGE, touchpoint.pk)
            return respond(request, touchpoint, team, evaluation_of(touchpoint, team), message=text,
                           with_agreement=True)
    return respond(request, touchpoint, team, evaluation, form=form, theirs=theirs)


@login_required
@require_POST
def evaluation_delete(request, pk, team_pk):
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    team = team_for(touchpoint, team_pk)
    evaluation = evaluation_of(touchpoint, team)
    version = request.POST.get("version", "")
    if evaluation is not None:
        try:
            services.evaluation_delete(evaluation=evaluation, actor=request.user,
                                       version=int(version) if version.isdigit() else None)
        except StaleVersion:
            text = _("Someone changed the evaluation by %s meanwhile, so it was not removed. Check it and remove it "
                     "again if you still want to.") % team.name
            if not is_htmx(request):
                messages.warning(request, text)
                return redirect(PAGE, touchpoint.pk)
            return respond(request, touchpoint, team, evaluation_of(touchpoint, team), message=text,
                           level="warning", with_agreement=True)
    text = _("Evaluation by %s removed.") % team.name
    if not is_htmx(request):
        messages.success(request, text)
        return redirect(PAGE, touchpoint.pk)
    return respond(request, touchpoint, team, None, message=text, with_agreement=True)


# The agreed value ----------------------------------------------------------------------------------------------


def _agreement_response(request, touchpoint, text="", level="success", **extra):
    if not is_htmx(request):
        if text:
            getattr(messages, level)(request, text)
        if "form" not in extra or not extra["form"].errors:
            return redirect(PAGE, touchpoint.pk)
    context = agreement_context(touchpoint, editable=True, form=extra.get("form"), theirs=extra.get("theirs"))
    if not is_htmx(request):
        return render(request, "assessments/evaluations/agreement_page.html", context | {
            "plan": touchpoint.plan, "organisation": touchpoint.plan.organisation})
    return render(request, "assessments/evaluations/_agreement_response.html",
                  context | {"message": text, "level": level})


def _agreement_theirs(form, current) -> list:
    shown = {"maturity": short_level(current.maturity) if current.maturity else _("Median of the teams")}
    rows = [(form[name], shown.get(name, getattr(current, name) or _("Median of the teams")))
            for name in AgreementForm.FIELDS]
    return rows + [(form["reason"], current.reason)]


@login_required
@require_POST
def agreement_set(request, pk):
    """An editor sets the agreed value with a reason (blank fields keep the median)."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    current = TouchpointAgreement.objects.filter(touchpoint=touchpoint).first()
    form = AgreementForm(request.POST, auto_id="agreement-%s")
    if not form.is_valid():
        return _agreement_response(request, touchpoint, form=form)
    version = form.cleaned_data["version"]
    try:
        if current is not None and version is None:
            raise StaleVersion(current)  # agreed by someone else after this form was loaded
        if current is None and version is not None:
            keep_typed(form, None, _("The agreed value was cleared meanwhile. Save again to set it anew."))
            return _agreement_response(request, touchpoint, form=form)
        services.agreement_set(touchpoint=touchpoint, actor=request.user, reason=form.cleaned_data["reason"],
                               version=version, **form.values())
    except StaleVersion as stale:
        theirs = _agreement_theirs(form, stale.current)
        keep_typed(form, stale.current, _("Someone else changed the agreed value while you were editing. Their "
                                           "values are shown above yours; keep what you want and save again."))
        return _agreement_response(request, touchpoint, form=form, theirs=theirs)
    except ValidationError as error:
        apply_errors(form, error)
        return _agreement_response(request, touchpoint, form=form)
    return _agreement_response(request, touchpoint, _("Agreed value saved."))


@login_required
@require_POST
def agreement_clear(request, pk):
    """Go back to the median of the teams."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    current = TouchpointAgreement.objects.filter(touchpoint=touchpoint).first()
    version = request.POST.get("version", "")
    if current is not None:
        try:
            services.agreement_clear(touchpoint=touchpoint, actor=request.user,
                                     version=int(version) if version.isdigit() else None)
        except StaleVersion:
            return _agreement_response(request, touchpoint, _(
                "Someone changed the agreed value meanwhile, so it was kept. Check it and go back to the median "
                "again if you still want to."), "warning")
    return _agreement_response(request, touchpoint, _("Back to the median of the teams."))


urlpatterns = [
    path("touchpoints/<int:pk>/evaluations/", touchpoint_evaluations, name=PAGE),
    path("touchpoints/<int:pk>/evaluations/<int:team_pk>/", evaluation_card, name="evaluation_card"),
    path("touchpoints/<int:pk>/evaluations/<int:team_pk>/edit/", evaluation_edit, name="evaluation_edit"),
    path("touchpoints/<int:pk>/evaluations/<int:team_pk>/delete/", evaluation_delete, name="evaluation_delete"),
    path("touchpoints/<int:pk>/agreement/", agreement_set, name="agreement_set"),
    path("touchpoints/<int:pk>/agreement/clear/", agreement_clear, name="agreement_clear"),
]
urlpatterns += evaluation_data.urlpatterns
urlpatterns += effort.urlpatterns

"""The digital maturity self-assessment: dated workshops, everyone's vote on both axes, the agreed position, the
target, and the 4×4 grid (server-side SVG, assessments/charts.py) with earlier positions drawn faintly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments import selectors, services
from assessments.charts import ROMAN, axis_levels, maturity_grid_data, maturity_grid_svg, vote_spread
from assessments.forms_maturity import MaturityAssessmentCreateForm, MaturityPositionForm, MaturityVoteForm
from core.editing import apply_errors
from core.forms import ConfirmDeleteForm
from core.versioning import StaleVersion
from tenancy.access import Access, plan_access, plan_for


def _context(request, plan, **extra) -> dict:
    request.session["current_organisation_id"] = plan.organisation_id
    return {"plan": plan, "organisation": plan.organisation, "levels": axis_levels(),
            "can_edit": plan_access(request.user, plan) >= Access.EDIT, **extra}


@login_required
def maturity(request, pk):
    plan = plan_for(request.user, pk)
    assessments = list(selectors.maturity_assessment_list(user=request.user, plan=plan))  # newest first
    latest = assessments[0] if assessments else None
    grid = maturity_grid_svg(**maturity_grid_data(latest, earlier=assessments[:0:-1])) if latest else None
    return render(request, "assessments/maturity/list.html", _context(
        request, plan, assessments=assessments, latest=latest, grid=grid,
        spread=vote_spread((v.channel_level, v.engagement_level) for v in latest.votes.all()) if latest else None,
        create_form=MaturityAssessmentCreateForm(),
    ))


@login_required
def maturity_create(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = MaturityAssessmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.maturity_assessment_create(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Assessment of %s created: every participant can now place the "
                                        "organisation on the grid.") % date_format(assessment.assessed_on))
            return redirect("maturity_detail", plan.pk, assessment.pk)
    return render(request, "assessments/maturity/create.html", _context(request, plan, form=form))


def _load(request, pk, assessment_pk, access=Access.VIEW):
    """The plan, the assessment and the plan's other assessments (for the history drawn on the grid)."""
    plan = plan_for(request.user, pk, access)
    assessments = list(selectors.maturity_assessment_list(user=request.user, plan=plan))
    assessment = next((a for a in assessments if a.pk == assessment_pk), None)
    if assessment is None:
        raise Http404(_("No such assessment."))
    return plan, assessment, assessments


def _detail_page(request, plan, assessment, assessments, *, vote_form=None, position_form=None, **extra):
    votes = sorted(assessment.votes.all(), key=lambda v: (v.participant.get_full_name() or v.participant.username))
    mine = next((v for v in votes if v.participant_id == request.user.pk), None)
    index = assessments.index(assessment)
    earlier = assessments[:index:-1]  # older assessments, oldest first
    context = _context(request, plan, assessment=assessment, votes=votes, my_vote=mine, earlier=earlier,
                       newer=assessments[:index], spread=vote_spread((v.channel_level, v.engagement_level)
                                                                      for v in votes),
                       grid=maturity_grid_svg(**maturity_grid_data(assessment, earlier=earlier)), **extra)
    if vote_form is None:
        initial = {"channel_level": mine.channel_level, "engagement_level": mine.engagement_level} if mine else None
        vote_form = MaturityVoteForm(initial=initial)
    if position_form is None and context["can_edit"]:
        position_form = MaturityPositionForm(initial=MaturityPositionForm.initial_for(assessment))
    context.update(vote_form=vote_form, position_form=position_form)
    return render(request, "assessments/maturity/detail.html", context)


@login_required
def maturity_detail(request, pk, assessment_pk):
    plan, assessment, assessments = _load(request, pk, assessment_pk)
    return _detail_page(request, plan, assessment, assessments)


@login_required
def maturity_vote(request, pk, assessment_pk):
    """Every participant places the organisation (viewers included); voting again replaces the vote."""
    plan, assessment, assessments = _load(request, pk, assessment_pk)
    if request.method != "POST":
        return redirect("maturity_detail", plan.pk, assessment.pk)
    form = MaturityVoteForm(request.POST)
    if form.is_valid():
        try:
            services.maturity_vote_cast(assessment=assessment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your position is recorded: channels %(channel)s, engagement %(engagement)s.")
                             % {"channel": ROMAN[form.cleaned_data["channel_level"]],
                                "engagement": ROMAN[form.cleaned_data["engagement_level"]]})
            return redirect(reverse("maturity_detail", args=[plan.pk, assessment.pk]) + "#grid")
    return _detail_page(request, plan, assessment, assessments, vote_form=form)


@login_required
def maturity_edit(request, pk, assessment_pk):
    """Editors record the agreed position and the target; a stale save shows the other person's values."""
    plan, assessment, assessments = _load(request, pk, assessment_pk, Access.EDIT)
    form = MaturityPositionForm(request.POST or None, initial=MaturityPositionForm.initial_for(assessment))
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.maturity_assessment_update(assessment=assessment, actor=request.user,
                                                version=form.cleaned_data.get("version"), **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this assessment while you were editing. Their "
                                            "values are shown beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Agreed position and target saved."))
            return redirect(reverse("maturity_detail", args=[plan.pk, assessment.pk]) + "#grid")
    return _detail_page(request, plan, assessment, assessments, position_form=form, conflict=conflict,
                        theirs=theirs, focus_position=True)


@login_required
def maturity_delete(request, pk, assessment_pk):
    plan, assessment, _assessments = _load(request, pk, assessment_pk, Access.EDIT)
    form = ConfirmDeleteForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.maturity_assessment_delete(assessment=assessment, actor=request.user,
                                                version=form.cleaned_data["version"])
        except StaleVersion as stale:
            assessment = stale.current
            form = ConfirmDeleteForm(initial={"version": assessment.version})
            messages.warning(request, _("Someone changed this assessment meanwhile. Check it is still the one to "
                                        "delete, then confirm again."))
        else:
            messages.success(request, _("Assessment of %s deleted.") % date_format(assessment.assessed_on))
            return redirect("maturity", plan.pk)
    return render(request, "planning/catalogue/confirm_delete.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "object": date_format(assessment.assessed_on),
        "kind": _("maturity assessment"), "section": _("Digital maturity"),
        "cancel_url": reverse("maturity_detail", args=[plan.pk, assessment.pk]),
        "consequence": _("The assessment, its agreed position, its target and every participant's vote are "
                         "deleted. This cannot be undone."),
    })


urlpatterns = [
    path("plans/<int:pk>/maturity/", maturity, name="maturity"),
    path("plans/<int:pk>/maturity/new/", maturity_create, name="maturity_create"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/", maturity_detail, name="maturity_detail"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/vote/", maturity_vote, name="maturity_vote"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/edit/", maturity_edit, name="maturity_edit"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/delete/", maturity_delete, name="maturity_delete"),
]

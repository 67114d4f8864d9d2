"""The digital maturity self-assessment: dated workshops, everyone's vote on both axes, the agreed position, the
target, and the 4×4 grid (server-side SVG, assessments/charts.py) with earlier positions drawn faintly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assessments import selectors, services
from assessments.charts import ROMAN, axis_levels, maturity_grid_data, maturity_grid_svg, vote_spread
from assessments.forms_maturity import MaturityAssessmentCreateForm, MaturityPositionForm, MaturityVoteForm
from core.editing import apply_errors
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages


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


class MaturityPages(PlanObjectPages):
    """Editors create an assessment, record the agreed position and the target, and delete it."""

    name, pk_url_kwarg, form_class = "assessment", "assessment_pk", MaturityPositionForm
    writes = (services.maturity_assessment_create, services.maturity_assessment_update,
              services.maturity_assessment_delete)
    texts = {
        "created": _("Assessment of %s created: every participant can now place the organisation on the grid."),
        "saved": _("Agreed position and target saved."), "deleted": _("Assessment of %s deleted."),
        "conflict": _("Someone else saved this assessment while you were editing. Their values are shown beside "
                      "yours; keep what you want and save again."),
        "changed": _("Someone changed this assessment meanwhile. Check it is still the one to delete, then confirm "
                     "again."),
    }
    confirm = {"kind": _("maturity assessment"), "section": _("Digital maturity"),
               "consequence": _("The assessment, its agreed position, its target and every participant's vote are "
                                "deleted. This cannot be undone.")}

    def load(self, pk, assessment_pk=None):
        if assessment_pk is None:
            return super().load(pk)
        self.plan, assessment, self.assessments = _load(self.request, pk, assessment_pk, Access.EDIT)
        return assessment

    def get_form(self, **kwargs):
        if self.action == "create":
            return MaturityAssessmentCreateForm(self.request.POST or None)
        return super().get_form(**kwargs)

    def changes(self, form) -> dict:
        return form.cleaned_data if self.action == "create" else form.changes()

    def label(self, assessment) -> str:
        return date_format(assessment.assessed_on)

    def success_url(self, assessment) -> str:
        if self.action == "delete":
            return reverse("maturity", args=[self.plan.pk])
        return reverse("maturity_detail", args=[self.plan.pk, assessment.pk]) + ("#grid" if self.object else "")

    def form_page(self, form, **extra):
        if self.action == "create":
            context = _context(self.request, self.plan, form=form)
            return render(self.request, "assessments/maturity/create.html", context)
        return _detail_page(self.request, self.plan, self.object, self.assessments, position_form=form,
                            focus_position=True, **extra)

    def delete_context(self, assessment) -> dict:
        return {**super().delete_context(self.label(assessment)),
                "cancel_url": reverse("maturity_detail", args=[self.plan.pk, assessment.pk])}


maturity_create, maturity_edit, maturity_delete = MaturityPages.views()


urlpatterns = [
    path("plans/<int:pk>/maturity/", maturity, name="maturity"),
    path("plans/<int:pk>/maturity/new/", maturity_create, name="maturity_create"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/", maturity_detail, name="maturity_detail"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/vote/", maturity_vote, name="maturity_vote"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/edit/", maturity_edit, name="maturity_edit"),
    path("plans/<int:pk>/maturity/<int:assessment_pk>/delete/", maturity_delete, name="maturity_delete"),
]

"""How a plan scores its roadmap: the method (value/effort, RICE, WSJF, custom) and the custom criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.editing import apply_errors
from core.versioning import StaleVersion
from roadmaps import services
from roadmaps.forms import CriterionForm, ScoringMethodForm, VersionForm
from roadmaps.models import ScoringCriterion, ScoringMethod
from roadmaps.scoring import FORMULAS
from roadmaps.views._common import page_context
from tenancy.access import Access, plan_for

METHOD_HELP = {
    ScoringMethod.VALUE_EFFORT: gettext_lazy("Two quick ratings from 1 to 10. Good for a first workshop."),
    ScoringMethod.RICE: gettext_lazy("Reach per quarter, impact (0.25–3), confidence (in percent) and effort: for "
                                     "customer-facing projects whose reach you can estimate."),
    ScoringMethod.WSJF: gettext_lazy("Cost of delay (business value + time criticality + risk reduction) over job "
                                     "size, each 1–21: when timing matters."),
    ScoringMethod.CUSTOM: gettext_lazy("Your own criteria, each with a weight and a direction; items are rated 1–5 "
                                       "on each."),
}


def _scoring_page(request, plan, *, method_form=None, criterion_form=None, status=200):
    settings = services.scoring_settings_for(plan)
    if method_form is None:
        method_form = ScoringMethodForm(initial={"method": settings.method, "version": settings.version})
    methods = [{"value": value, "label": label, "formula": FORMULAS[value], "help": METHOD_HELP[value],
                "chosen": value == settings.method} for value, label in ScoringMethod.choices]
    return render(request, "roadmaps/scoring.html", page_context(
        request, plan, tab="scoring", settings=settings, methods=methods, method_form=method_form,
        criterion_form=criterion_form or CriterionForm(plan=plan),
        criteria=list(ScoringCriterion.objects.filter(plan=plan))), status=status)


@login_required
def roadmap_scoring(request, pk):
    """GET: the method and criteria (everyone who sees the plan). POST: choose the method (editors)."""
    if request.method != "POST":
        return _scoring_page(request, plan_for(request.user, pk))
    plan = plan_for(request.user, pk, Access.EDIT)
    form = ScoringMethodForm(request.POST)
    if not form.is_valid():
        return _scoring_page(request, plan, method_form=form, status=400)
    try:
        settings = services.scoring_method_set(plan=plan, actor=request.user, method=form.cleaned_data["method"],
                                               version=form.cleaned_data["version"])
    except StaleVersion as stale:
        messages.warning(request, _("Someone else changed the method meanwhile, to %s. Choose again if you still "
                                    "want to change it.") % stale.current.get_method_display())
    else:
        messages.success(request, _("The roadmap is now scored with %s.") % settings.get_method_display())
    return redirect("roadmap_scoring", plan.pk)


@login_required
@require_POST
def roadmap_criterion_create(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = CriterionForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            criterion = services.criterion_create(plan=plan, actor=request.user, **form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Criterion “%s” added.") % criterion.name)
            return redirect("roadmap_scoring", plan.pk)
    return _scoring_page(request, plan, criterion_form=form, status=400)


def _criterion(request, pk, criterion_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    return plan, get_object_or_404(ScoringCriterion.objects.filter(plan=plan), pk=criterion_pk)


@login_required
def roadmap_criterion_edit(request, pk, criterion_pk):
    plan, criterion = _criterion(request, pk, criterion_pk)
    form = CriterionForm(request.POST or None, plan=plan, criterion=criterion,
                         initial=CriterionForm.initial_for(criterion))
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(criterion=criterion, actor=request.user,
                                      version=form.cleaned_data.get("version"), **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this criterion while you were editing. Their values "
                                            "are shown beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Criterion “%s” saved.") % form.cleaned_data["name"])
            return redirect("roadmap_scoring", plan.pk)
    return render(request, "roadmaps/criterion_form.html", page_context(
        request, plan, tab="scoring", form=form, criterion=criterion, conflict=conflict, theirs=theirs))


@login_required
def roadmap_criterion_delete(request, pk, criterion_pk):
    plan, criterion = _criterion(request, pk, criterion_pk)
    form = VersionForm(request.POST if request.method == "POST" else None, initial={"version": criterion.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_delete(criterion=criterion, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            criterion = stale.current
            form = VersionForm(initial={"version": criterion.version})
            messages.warning(request, _("Someone changed this criterion meanwhile. Check it is still the one to "
                                        "delete, then confirm again."))
        else:
            messages.success(request, _("Criterion “%s” deleted.") % criterion.name)
            return redirect("roadmap_scoring", plan.pk)
    return render(request, "roadmaps/confirm_delete.html", page_context(
        request, plan, tab="scoring", form=form, object=criterion, kind=_("scoring criterion"),
        cancel_url=reverse("roadmap_scoring", args=[plan.pk]),
        consequence=_("Items keep their other ratings; with the custom method their scores no longer count this "
                      "criterion. This cannot be undone.")))


urlpatterns = [
    path("plans/<int:pk>/roadmap/scoring/", roadmap_scoring, name="roadmap_scoring"),
    path("plans/<int:pk>/roadmap/scoring/criteria/new/", roadmap_criterion_create, name="roadmap_criterion_create"),
    path("plans/<int:pk>/roadmap/scoring/criteria/<int:criterion_pk>/", roadmap_criterion_edit,
         name="roadmap_criterion_edit"),
    path("plans/<int:pk>/roadmap/scoring/criteria/<int:criterion_pk>/delete/", roadmap_criterion_delete,
         name="roadmap_criterion_delete"),
]

"""How a plan scores its roadmap: the method (value/effort, RICE, WSJF, custom) and the custom criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.versioning import StaleVersion
from roadmaps import services
from roadmaps.forms import CriterionForm, ScoringMethodForm
from roadmaps.models import ScoringCriterion, ScoringMethod
from roadmaps.scoring import FORMULAS
from roadmaps.views._common import RoadmapPages, page_context
from tenancy.access import Access, plan_for

METHOD_HELP = {
    ScoringMethod.VALUE_EFFORT: _("Two quick ratings from 1 to 10. Good for a first workshop."),
    ScoringMethod.RICE: _("Reach per quarter, impact (0.25–3), confidence (in percent) and effort: for "
                          "customer-facing projects whose reach you can estimate."),
    ScoringMethod.WSJF: _("Cost of delay (business value + time criticality + risk reduction) over job "
                          "size, each 1–21: when timing matters."),
    ScoringMethod.CUSTOM: _("Your own criteria, each with a weight and a direction; items are rated 1–5 "
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


class CriterionPages(RoadmapPages):
    """A custom scoring criterion: added from the scoring tab, edited and deleted on their own pages."""

    name, pk_url_kwarg, list_url = "criterion", "criterion_pk", "roadmap_scoring"
    form_class, template_name = CriterionForm, "roadmaps/criterion_form.html"
    writes = services.criterion_create, services.criterion_update, services.criterion_delete
    texts = {
        "created": _("Criterion “%s” added."), "saved": _("Criterion “%s” saved."),
        "deleted": _("Criterion “%s” deleted."),
        "conflict": _("Someone else saved this criterion while you were editing. Their values are shown beside "
                      "yours; keep what you want and save again."),
        "changed": _("Someone changed this criterion meanwhile. Check it is still the one to delete, then confirm "
                     "again."),
    }
    confirm = {"kind": _("scoring criterion"), "consequence": _("Items keep their other ratings; with the custom "
                                                                "method their scores no longer count this criterion. "
                                                                "This cannot be undone.")}

    def queryset(self):
        return ScoringCriterion.objects.filter(plan=self.plan)

    def form_kwargs(self) -> dict:
        return {"plan": self.plan, "criterion": self.object}

    def context(self, **extra) -> dict:
        return super().context(tab="scoring", **extra)

    def form_page(self, form, **extra):
        if self.action == "create":  # the add form is on the scoring tab
            return _scoring_page(self.request, self.plan, criterion_form=form, status=400)
        return super().form_page(form, **extra)


roadmap_criterion_create = CriterionPages.as_view(action="create", http_method_names=["post"])
roadmap_criterion_edit = CriterionPages.as_view(action="edit")
roadmap_criterion_delete = CriterionPages.as_view(action="delete")


urlpatterns = [
    path("plans/<int:pk>/roadmap/scoring/", roadmap_scoring, name="roadmap_scoring"),
    path("plans/<int:pk>/roadmap/scoring/criteria/new/", roadmap_criterion_create, name="roadmap_criterion_create"),
    path("plans/<int:pk>/roadmap/scoring/criteria/<int:criterion_pk>/", roadmap_criterion_edit,
         name="roadmap_criterion_edit"),
    path("plans/<int:pk>/roadmap/scoring/criteria/<int:criterion_pk>/delete/", roadmap_criterion_delete,
         name="roadmap_criterion_delete"),
]

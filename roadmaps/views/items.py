"""The ranked roadmap of a plan, and its items: create, edit (stale-safe), delete, take the suggested value."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.editing import flash_errors
from core.versioning import StaleVersion
from roadmaps import selectors, services
from roadmaps.forms import RoadmapItemForm, VersionForm
from roadmaps.models import ScoringCriterion, ScoringMethod
from roadmaps.views._common import RoadmapPages, page_context, ranked_roadmap, roadmap_item_for
from tenancy.access import plan_for


@login_required
def roadmap(request, pk):
    """Items in rank order with their score, its terms, and (under value / effort, the only method that reads the
    value) the value the linked touchpoints suggest."""
    plan = plan_for(request.user, pk)
    ranked = ranked_roadmap(request.user, plan)
    if ranked["method"] == ScoringMethod.VALUE_EFFORT:
        suggestions = selectors.value_suggestions(plan=plan, items=ranked["items"])
        for row in ranked["rows"]:
            value, explanation = suggestions[row["item"].pk]
            row["suggestion"] = {"value": value, "explanation": explanation}
    return render(request, "roadmaps/list.html", page_context(request, plan, tab="list", **ranked))


class RoadmapItemPages(RoadmapPages):
    name, pk_url_kwarg, list_url = "item", "item_pk", "roadmap"
    form_class, template_name = RoadmapItemForm, "roadmaps/item_form.html"
    writes = services.roadmap_item_create, services.roadmap_item_update, services.roadmap_item_delete
    texts = {
        "created": _("Roadmap item “%s” added."), "saved": _("Roadmap item “%s” saved."),
        "deleted": _("Roadmap item “%s” deleted."),
        "conflict": _("Someone else saved this item while you were editing. Their values are shown beside yours; "
                      "keep what you want and save again."),
        "changed": _("Someone changed this item meanwhile. Check it is still the one to delete, then confirm again."),
    }
    confirm = {"kind": _("roadmap item"), "consequence": _("The item leaves the roadmap, the board, the timeline and "
                                                           "the matrix. This cannot be undone.")}

    def load(self, pk, **kwargs):
        item = super().load(pk, **kwargs)
        self.criteria = list(ScoringCriterion.objects.filter(plan=self.plan))
        return item

    def queryset(self):
        return selectors.roadmap_item_list(user=self.request.user, plan=self.plan)

    def form_kwargs(self) -> dict:
        if self.object is not None:
            return {"plan": self.plan, "criteria": self.criteria, "item": self.object}
        horizon = self.request.GET.get("horizon")
        return {"plan": self.plan, "criteria": self.criteria, "initial": {"horizon": horizon} if horizon else {}}

    def initial(self, item) -> dict:
        return RoadmapItemForm.initial_for(item, self.criteria)

    def success_url(self, item) -> str:
        url = super().success_url(item)
        return url if self.action == "delete" else f"{url}#item-{item.pk}"

    def form_page(self, form, **extra):
        method = services.scoring_settings_for(self.plan).method
        answers = selectors.item_answers(self.object) if self.object is not None else None
        return super().form_page(form, scoring_groups=form.scoring_groups(method), answers=answers, **extra)

    def delete_context(self, item) -> dict:
        return {**super().delete_context(item), "dependents": list(item.dependents.order_by("title"))}


roadmap_item_create, roadmap_item_edit, roadmap_item_delete = RoadmapItemPages.views()


@login_required
@require_POST
def roadmap_item_use_suggestion(request, pk, item_pk):
    """Set the item's value to the one its touchpoints and objectives suggest (computed again here)."""
    plan, item = roadmap_item_for(request.user, pk, item_pk)
    form = VersionForm(request.POST)
    back = reverse("roadmap", args=[plan.pk]) + f"#item-{item.pk}"
    if services.scoring_settings_for(plan).method != ScoringMethod.VALUE_EFFORT:
        messages.error(request, _("The roadmap is not scored by value and effort, so a suggested value would change "
                                  "nothing: there is none."))
        return redirect(back)
    value, _explanation = selectors.value_suggestions(plan=plan, items=[item])[item.pk]
    if not form.is_valid() or value is None:
        messages.error(request, _("There is no suggestion for this item: link touchpoints that the teams have "
                                  "evaluated first."))
        return redirect(back)
    try:
        services.roadmap_item_update(item=item, actor=request.user, version=form.cleaned_data["version"],
                                     value=value)
    except StaleVersion:
        messages.warning(request, _("Someone changed “%s” meanwhile; nothing was saved. Check its value and try "
                                    "again.") % item.title)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The value of “%(title)s” is now %(value)s, as suggested.")
                         % {"title": item.title, "value": value})
    return redirect(back)


urlpatterns = [
    path("plans/<int:pk>/roadmap/", roadmap, name="roadmap"),
    path("plans/<int:pk>/roadmap/items/new/", roadmap_item_create, name="roadmap_item_create"),
    path("plans/<int:pk>/roadmap/items/<int:item_pk>/edit/", roadmap_item_edit, name="roadmap_item_edit"),
    path("plans/<int:pk>/roadmap/items/<int:item_pk>/delete/", roadmap_item_delete, name="roadmap_item_delete"),
    path("plans/<int:pk>/roadmap/items/<int:item_pk>/use-suggestion/", roadmap_item_use_suggestion,
         name="roadmap_item_use_suggestion"),
]

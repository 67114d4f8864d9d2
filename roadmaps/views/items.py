"""The ranked roadmap of a plan, and its items: create, edit (stale-safe), delete, take the suggested value."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors, flash_errors
from core.versioning import StaleVersion
from roadmaps import selectors, services
from roadmaps.forms import RoadmapItemForm, VersionForm
from roadmaps.models import ScoringCriterion
from roadmaps.views._common import page_context, ranked_roadmap, roadmap_item_for
from tenancy.access import Access, plan_for


@login_required
def roadmap(request, pk):
    """Items in rank order with their score, its terms, and the value the linked touchpoints suggest."""
    plan = plan_for(request.user, pk)
    ranked = ranked_roadmap(request.user, plan)
    suggestions = selectors.value_suggestions(plan=plan, items=ranked["items"])
    for row in ranked["rows"]:
        value, explanation = suggestions[row["item"].pk]
        row["suggestion"] = {"value": value, "explanation": explanation}
    return render(request, "roadmaps/list.html", page_context(request, plan, tab="list", **ranked))


def _form_page(request, plan, form, method, **extra):
    return render(request, "roadmaps/item_form.html", page_context(
        request, plan, form=form, scoring_groups=form.scoring_groups(method), **extra))


@login_required
def roadmap_item_create(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    criteria = list(ScoringCriterion.objects.filter(plan=plan))
    initial = {"horizon": request.GET["horizon"]} if request.GET.get("horizon") else {}
    form = RoadmapItemForm(request.POST or None, plan=plan, criteria=criteria, initial=initial)
    method = services.scoring_settings_for(plan).method
    if request.method == "POST" and form.is_valid():
        try:
            item = services.roadmap_item_create(plan=plan, actor=request.user, **form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Roadmap item “%s” added.") % item.title)
            return redirect(reverse("roadmap", args=[plan.pk]) + f"#item-{item.pk}")
    return _form_page(request, plan, form, method)


@login_required
def roadmap_item_edit(request, pk, item_pk):
    plan, item = roadmap_item_for(request.user, pk, item_pk)
    criteria = list(ScoringCriterion.objects.filter(plan=plan))
    form = RoadmapItemForm(request.POST or None, plan=plan, item=item, criteria=criteria,
                           initial=RoadmapItemForm.initial_for(item, criteria))
    method = services.scoring_settings_for(plan).method
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_item_update(item=item, actor=request.user, version=form.cleaned_data.get("version"),
                                         **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this item while you were editing. Their values "
                                            "are shown beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Roadmap item “%s” saved.") % form.cleaned_data["title"])
            return redirect(reverse("roadmap", args=[plan.pk]) + f"#item-{item.pk}")
    return _form_page(request, plan, form, method, item=item, conflict=conflict, theirs=theirs)


@login_required
def roadmap_item_delete(request, pk, item_pk):
    plan, item = roadmap_item_for(request.user, pk, item_pk)
    form = VersionForm(request.POST if request.method == "POST" else None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_item_delete(item=item, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            item = stale.current
            form = VersionForm(initial={"version": item.version})
            messages.warning(request, _("Someone changed this item meanwhile. Check it is still the one to delete, "
                                        "then confirm again."))
        else:
            messages.success(request, _("Roadmap item “%s” deleted.") % item.title)
            return redirect("roadmap", plan.pk)
    dependents = list(item.dependents.order_by("title"))
    return render(request, "roadmaps/confirm_delete.html", page_context(
        request, plan, form=form, object=item, kind=_("roadmap item"), cancel_url=reverse("roadmap", args=[plan.pk]),
        consequence=_("The item leaves the roadmap, the board, the timeline and the matrix. This cannot be undone."),
        dependents=dependents))


@login_required
@require_POST
def roadmap_item_use_suggestion(request, pk, item_pk):
    """Set the item's value to the one its touchpoints and objectives suggest (computed again here)."""
    plan, item = roadmap_item_for(request.user, pk, item_pk)
    form = VersionForm(request.POST)
    back = reverse("roadmap", args=[plan.pk]) + f"#item-{item.pk}"
    value, _explanation = selectors.value_suggestions(plan=plan, items=[item])[item.pk]
    if not form.is_valid() or value is None:
        messages.error(request, _("There is no suggestion for this item: link touchpoints or objectives first."))
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

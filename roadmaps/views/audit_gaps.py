"""An audit's gap (a need or a wish) or a journey map's opportunity becomes a roadmap candidate in one click."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors as assessment_selectors
from core.editing import flash_errors
from experience import selectors as experience_selectors
from roadmaps import services
from tenancy.access import Access, plan_for


@login_required
@require_POST
def audit_to_roadmap(request, pk, item_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    item = get_object_or_404(assessment_selectors.audit_item_list(user=request.user, plan=plan), pk=item_pk)
    try:
        candidate = services.audit_gap_to_roadmap_candidate(item, request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(reverse("audits", args=[plan.pk]) + f"#{item.kind}-{item.step}")
    messages.success(request, _("“%s” is now a roadmap candidate: give it a value and an effort.") % candidate.title)
    return redirect("roadmap_item_edit", plan.pk, candidate.pk)


@login_required
@require_POST
def opportunity_to_roadmap(request, pk):
    opportunity = get_object_or_404(experience_selectors.opportunity_list(user=request.user), pk=pk)
    plan = plan_for(request.user, opportunity.plan_id, Access.EDIT)
    opportunity.plan = plan
    try:
        candidate = services.opportunity_to_roadmap_candidate(opportunity, request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(reverse("journey_map", args=[opportunity.journey_id]) + f"#opportunity-{opportunity.pk}")
    messages.success(request, _("“%s” is now a roadmap candidate: give it a value and an effort.") % candidate.title)
    return redirect("roadmap_item_edit", plan.pk, candidate.pk)


urlpatterns = [
    path("plans/<int:pk>/audits/<int:item_pk>/to-roadmap/", audit_to_roadmap, name="audit_to_roadmap"),
    path("opportunities/<int:pk>/to-roadmap/", opportunity_to_roadmap, name="opportunity_to_roadmap"),
]

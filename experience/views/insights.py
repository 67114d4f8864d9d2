"""Pain points and opportunities of a journey, turning a pain into an opportunity, and a future-state journey."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.editing import flash_errors
from experience import services
from experience.forms import OpportunityForm, PainPointForm
from experience.models import Opportunity, PainPoint
from experience.views._pages import JourneyObjectPages
from planning.views._map import journey_for
from tenancy.access import Access


class _InsightPages(JourneyObjectPages):
    def get_form(self, **kwargs):
        if self.object is None and "initial" not in kwargs:
            stage = self.request.GET.get("stage", "")
            kwargs["initial"] = {"stage": stage} if stage.isdigit() else {}
        return super().get_form(**kwargs)

    def anchor(self, obj) -> str:
        return f"{self.name}-{obj.pk}"

    def context(self, **extra) -> dict:
        if self.object is not None:
            extra.setdefault("delete_url", reverse(f"{self.name}_delete", args=[self.object.pk]))
        return super().context(**extra)


class PainPointPages(_InsightPages):
    name, model, form_class = "pain", PainPoint, PainPointForm
    writes = services.pain_point_create, services.pain_point_update, services.pain_point_delete
    title = {"create": gettext_lazy("New pain point"), "edit": gettext_lazy("Edit the pain point")}
    texts = {
        "created": gettext_lazy("Pain point “%s” added."), "saved": gettext_lazy("Pain point saved."),
        "deleted": gettext_lazy("Pain point “%s” deleted."),
        "conflict": gettext_lazy("Someone else saved this pain point while you were editing. Their values are "
                                 "shown beside yours; keep what you want and save again."),
        "changed": gettext_lazy("Someone changed this pain point meanwhile, so it was not deleted. Check it and "
                                "delete it again if you still want to."),
    }
    confirm = {"consequence": gettext_lazy("The pain point is deleted; the opportunities that answer it stay.")}


class OpportunityPages(_InsightPages):
    name, model, form_class = "opportunity", Opportunity, OpportunityForm
    writes = services.opportunity_create, services.opportunity_update, services.opportunity_delete
    title = {"create": gettext_lazy("New opportunity"), "edit": gettext_lazy("Edit the opportunity")}
    texts = {
        "created": gettext_lazy("Opportunity “%s” added."), "saved": gettext_lazy("Opportunity saved."),
        "deleted": gettext_lazy("Opportunity “%s” deleted."),
        "conflict": gettext_lazy("Someone else saved this opportunity while you were editing. Their values are "
                                 "shown beside yours; keep what you want and save again."),
        "changed": gettext_lazy("Someone changed this opportunity meanwhile, so it was not deleted. Check it and "
                                "delete it again if you still want to."),
    }
    confirm = {"consequence": gettext_lazy("The opportunity is deleted; roadmap items that answer it stay.")}


pain_create, pain_edit, pain_delete = PainPointPages.views()
opportunity_create, opportunity_edit, opportunity_delete = OpportunityPages.views()


@login_required
@require_POST
def pain_to_opportunity(request, pk):
    pain = get_object_or_404(PainPoint.objects.select_related("journey", "stage"), pk=pk)
    pain.journey = journey_for(request.user, pain.journey_id, Access.EDIT)
    try:
        opportunity = services.pain_point_to_opportunity(pain=pain, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(reverse("journey_map", args=[pain.journey_id]) + f"#pain-{pain.pk}")
    messages.success(request, _("Opportunity created from the pain point: word it and give it a value."))
    return redirect("opportunity_edit", opportunity.pk)


@login_required
@require_POST
def journey_future_create(request, pk):
    journey = journey_for(request.user, pk, Access.EDIT)
    future = services.journey_future_create(journey=journey, actor=request.user)
    messages.success(request, _("Future-state journey “%s” created from the current one: its emotion curve is "
                                "drawn over today's.") % future.name)
    return redirect("journey_map", future.pk)


urlpatterns = [
    path("journeys/<int:pk>/pain-points/new/", pain_create, name="pain_create"),
    path("pain-points/<int:pk>/edit/", pain_edit, name="pain_edit"),
    path("pain-points/<int:pk>/delete/", pain_delete, name="pain_delete"),
    path("pain-points/<int:pk>/to-opportunity/", pain_to_opportunity, name="pain_to_opportunity"),
    path("journeys/<int:pk>/opportunities/new/", opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/edit/", opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/delete/", opportunity_delete, name="opportunity_delete"),
    path("journeys/<int:pk>/future-state/", journey_future_create, name="journey_future_create"),
]

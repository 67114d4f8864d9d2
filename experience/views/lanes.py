"""Lanes of a journey's map: add, edit (rename, change a text lane's kind, hide), move, show and delete them; the
cards of text lanes; the emotion scores. Every page is also a plain form, so the map works without a mouse."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.editing import flash_errors
from core.versioning import StaleVersion
from experience import services
from experience.forms import EmotionForm, LaneAddForm, LaneCardForm, LaneForm
from experience.models import EmotionScore, Lane, LaneCard
from experience.views._pages import JourneyObjectPages
from planning.views._map import journey_for
from tenancy.access import Access


def _map_at(journey_pk: int, anchor: str = ""):
    url = reverse("journey_map", args=[journey_pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def lane_create(request, pk):
    journey = journey_for(request.user, pk, Access.EDIT)
    form = LaneAddForm(request.POST, prefix=f"lane-{journey.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose the kind of lane to add."))
        return _map_at(journey.pk)
    try:
        lane = services.lane_create(journey=journey, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
        return _map_at(journey.pk)
    messages.success(request, _("Lane “%s” added.") % lane)
    return _map_at(journey.pk, f"lane-{lane.pk}")


class LanePages(JourneyObjectPages):
    name, model = "lane", Lane
    writes = (None, services.lane_update, services.lane_delete)
    title = {"edit": gettext_lazy("Edit the lane")}
    texts = {
        "saved": gettext_lazy("Lane saved."), "deleted": gettext_lazy("Lane “%s” deleted."),
        "conflict": gettext_lazy("Someone else saved this lane while you were editing. Their values are shown "
                                 "beside yours; keep what you want and save again."),
        "changed": gettext_lazy("Someone changed this lane meanwhile, so it was not deleted. Check it and delete "
                                "it again if you still want to."),
    }
    confirm = {"consequence": gettext_lazy("The lane and every card in it are deleted.")}

    def get_form(self, **kwargs):
        return LaneForm(self.request.POST or None, lane=self.object, **kwargs)

    def initial(self, lane) -> dict:
        return LaneForm.initial_for(lane)

    def anchor(self, lane) -> str:
        return f"lane-{lane.pk}"

    def context(self, **extra) -> dict:
        extra.setdefault("delete_url", reverse("lane_delete", args=[self.object.pk]) if self.object else "")
        return super().context(**extra)


lane_edit, lane_delete = LanePages.as_view(action="edit"), LanePages.as_view(action="delete")


@login_required
@require_POST
def lane_move(request, pk):
    lane = get_object_or_404(Lane.objects.select_related("journey"), pk=pk)
    journey = journey_for(request.user, lane.journey_id, Access.EDIT)
    lane.journey = journey
    order = list(journey.lanes.order_by("position", "id").values_list("pk", flat=True))
    step = -1 if request.POST.get("direction") == "up" else 1
    version = request.POST.get("version", "")
    try:
        services.lane_move(lane=lane, actor=request.user, position=order.index(lane.pk) + step,
                           version=int(version) if version.isdigit() else None)
    except StaleVersion:
        messages.warning(request, _("The lanes changed meanwhile; here is their current order. Move the lane "
                                    "again if needed."))
    return _map_at(journey.pk, f"lane-{lane.pk}")


@login_required
@require_POST
def lane_show(request, pk):
    lane = get_object_or_404(Lane.objects.select_related("journey"), pk=pk)
    lane.journey = journey_for(request.user, lane.journey_id, Access.EDIT)
    services.lane_update(lane=lane, actor=request.user, hidden=False)
    messages.success(request, _("Lane “%s” shown again.") % lane)
    return _map_at(lane.journey_id, f"lane-{lane.pk}")


class LaneCardPages(JourneyObjectPages):
    name, model, form_class = "card", LaneCard, LaneCardForm
    writes = services.lane_card_create, services.lane_card_update, services.lane_card_delete
    title = {"create": gettext_lazy("New card"), "edit": gettext_lazy("Edit the card")}
    texts = {
        "created": gettext_lazy("Card added."), "saved": gettext_lazy("Card saved."),
        "deleted": gettext_lazy("Card deleted."),
        "conflict": gettext_lazy("Someone else saved this card while you were editing. Their text is shown "
                                 "beside yours; keep what you want and save again."),
        "changed": gettext_lazy("Someone changed this card meanwhile, so it was not deleted. Check it and delete "
                                "it again if you still want to."),
    }
    confirm = {"consequence": gettext_lazy("The card's text is deleted; the lane stays.")}

    def load(self, pk):
        if self.action != "create":
            card = super().load(pk)
            self.lane, self.stage = card.lane, card.stage
            return card
        self.lane = get_object_or_404(Lane.objects.select_related("journey"), pk=pk)
        self.journey = journey_for(self.request.user, self.lane.journey_id, Access.EDIT)
        stage_id = self.request.GET.get("stage") or self.request.POST.get("stage") or ""
        self.stage = self.journey.stages.filter(pk=stage_id).first() if stage_id.isdigit() else None
        if self.stage is None:
            raise Http404(_("No such stage."))
        return None

    def form_kwargs(self) -> dict:
        return {}

    def create_kwargs(self) -> dict:
        return {"lane": self.lane, "stage": self.stage}

    def anchor(self, card) -> str:
        return f"lane-{self.lane.pk}"

    def context(self, **extra) -> dict:
        if self.object:
            extra.setdefault("delete_url", reverse("lane_card_delete", args=[self.object.pk]))
        return super().context(where=f"{self.lane} · {self.stage.name}", **extra)


lane_card_create, lane_card_edit, lane_card_delete = LaneCardPages.views()


def _emotion_target(request, journey, stage_pk):
    stage = journey.stages.filter(pk=stage_pk).first()
    if stage is None:
        raise Http404(_("No such stage."))
    touchpoint_id = request.GET.get("touchpoint") or request.POST.get("touchpoint") or ""
    touchpoint = None
    if touchpoint_id:
        touchpoint = stage.touchpoints.filter(pk=touchpoint_id).first() if touchpoint_id.isdigit() else None
        if touchpoint is None:
            raise Http404(_("No such touchpoint."))
    return stage, touchpoint


@login_required
def emotion_edit(request, pk, stage_pk):
    """Score how the customer feels at a stage (or one of its touchpoints); the map's drag sends the same form."""
    journey = journey_for(request.user, pk, Access.EDIT)
    stage, touchpoint = _emotion_target(request, journey, stage_pk)
    current = EmotionScore.objects.filter(stage=stage, touchpoint=touchpoint).first()
    initial = {"score": current.score, "note": current.note, "version": current.version} if current else {}
    form = EmotionForm(request.POST or None, initial=initial)
    quick = request.headers.get("X-Requested-With") == "fetch"
    conflict = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.emotion_set(journey=journey, stage=stage, touchpoint=touchpoint, actor=request.user,
                                 score=data["score"], note=data["note"], version=data["version"])
        except StaleVersion as stale:
            conflict = stale.current
        except ValidationError as error:
            if quick:
                return JsonResponse({"error": " ".join(error.messages)}, status=400)
            flash_errors(request, error)
        else:
            if quick:
                return JsonResponse({"ok": True})
            messages.success(request, _("Emotion saved."))
            return _map_at(journey.pk, "emotion")
        if conflict is not None:
            if quick:
                return JsonResponse({"error": _("Someone else scored this meanwhile.")}, status=412)
            form.data = form.data.copy()
            form.data["version"] = conflict.version
            form.add_error(None, _("Someone else scored this meanwhile: %(score)+d (%(label)s). Your choice is "
                                   "kept below; save again to use it.") % {"score": conflict.score,
                                                                          "label": conflict.get_score_display()})
    elif quick and form.is_bound:
        return JsonResponse({"error": _("Choose a score from −2 to +2.")}, status=400)
    place = f"{stage.name} · {touchpoint.name}" if touchpoint else stage.name
    return render(request, "experience/form.html", {
        "plan": journey.plan, "organisation": journey.plan.organisation, "journey": journey, "form": form,
        "kind": _("Emotion"), "where": place, "page_title": _("How does the customer feel here?"),
        "intro": _("One scale for the whole map: −2 very negative, 0 neutral, +2 very positive. A stage without a "
                   "score of its own shows the mean of its touchpoints' scores."),
    })


urlpatterns = [
    path("journeys/<int:pk>/lanes/new/", lane_create, name="lane_create"),
    path("lanes/<int:pk>/edit/", lane_edit, name="lane_edit"),
    path("lanes/<int:pk>/delete/", lane_delete, name="lane_delete"),
    path("lanes/<int:pk>/move/", lane_move, name="lane_move"),
    path("lanes/<int:pk>/show/", lane_show, name="lane_show"),
    path("lanes/<int:pk>/cards/new/", lane_card_create, name="lane_card_create"),
    path("lane-cards/<int:pk>/edit/", lane_card_edit, name="lane_card_edit"),
    path("lane-cards/<int:pk>/delete/", lane_card_delete, name="lane_card_delete"),
    path("journeys/<int:pk>/emotions/<int:stage_pk>/", emotion_edit, name="emotion_edit"),
]

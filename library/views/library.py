"""The organisation's library of personas and journeys, seen from a plan (reached from its personas and journeys
pages): publish one of the plan's (owners, admins, the plan's managers), add a copy of one to the plan (its
editors), remove one (owners, admins, whoever published it). Everyone who sees the plan sees the library.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from library import selectors, services
from library.models import LibraryKind
from planning.models import Journey, Persona
from tenancy.access import Access, membership_for, plan_access, plan_for
from tenancy.models import MANAGING_ROLES

KINDS = {"personas": LibraryKind.PERSONA, "journeys": LibraryKind.JOURNEY}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404(_("No such library."))
    return KINDS[kind]


def _summary(item) -> str:
    document = item.document
    if item.kind == LibraryKind.PERSONA:
        return ", ".join(document["personas"][0].get("preferred_channels", []))
    stages = document["journeys"][0]["stages"]
    return " › ".join(s["name"] for s in sorted(stages, key=lambda s: s["position"]))


@login_required
def plan_library(request, pk, kind):
    plan = plan_for(request.user, pk)
    library_kind = _kind(kind)
    access = plan_access(request.user, plan)
    membership = membership_for(request.user, plan.organisation_id)
    managing = membership is not None and membership.role in MANAGING_ROLES
    items = list(selectors.library_list(user=request.user, organisation=plan.organisation, kind=library_kind)
                 .order_by("name", "id"))
    mine = (Persona if library_kind == LibraryKind.PERSONA else Journey).objects.filter(plan=plan).order_by("name")
    return render(request, "library/plan_library.html", {
        "plan": plan, "organisation": plan.organisation, "kind": kind, "library_kind": library_kind,
        "items": [{"item": i, "summary": _summary(i), "can_remove": managing or i.published_by_id == request.user.pk}
                  for i in items],
        "can_edit": access >= Access.EDIT, "can_publish": access >= Access.MANAGE,
        "publishable": list(mine) if access >= Access.MANAGE else [],
        "plan_section": "personas" if library_kind == LibraryKind.PERSONA else "journeys",
    })


@login_required
@require_POST
def library_publish(request, pk, kind):
    plan = plan_for(request.user, pk, Access.MANAGE)
    library_kind = _kind(kind)
    model = Persona if library_kind == LibraryKind.PERSONA else Journey
    source = model.objects.filter(plan=plan, pk=request.POST.get("source") or 0).first() \
        if str(request.POST.get("source", "")).isdigit() else None
    if source is None:
        messages.error(request, _("Choose one persona or one journey of this plan."))
        return redirect("plan_library", plan.pk, kind)
    try:
        item = services.library_publish(plan=plan, actor=request.user, description=request.POST.get("description", ""),
                                        **{library_kind: source})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan_library", plan.pk, kind)
    messages.success(request, _("“%s” is in the organisation's library: every plan of the organisation can add a "
                                "copy of it.") % item.name)
    return redirect("plan_library", plan.pk, kind)


@login_required
@require_POST
def library_pick(request, pk, item_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    item = selectors.library_item_for(user=request.user, organisation=plan.organisation, pk=item_pk)
    made = services.library_pick(item=item, plan=plan, actor=request.user)
    messages.success(request, _("A copy of “%s” is now in this plan.") % made.name)
    if item.kind == LibraryKind.JOURNEY:
        return redirect("journey_map", made.pk)
    return redirect("personas", plan.pk)


@login_required
@require_POST
def library_remove(request, pk, item_pk):
    plan = plan_for(request.user, pk)
    item = selectors.library_item_for(user=request.user, organisation=plan.organisation, pk=item_pk)
    kind = "personas" if item.kind == LibraryKind.PERSONA else "journeys"
    services.library_remove(item=item, actor=request.user)
    messages.success(request, _("“%s” was removed from the library; the copies in plans stay.") % item.name)
    return redirect("plan_library", plan.pk, kind)


urlpatterns = [
    path("plans/<int:pk>/library/<slug:kind>/", plan_library, name="plan_library"),
    path("plans/<int:pk>/library/<slug:kind>/publish/", library_publish, name="library_publish"),
    path("plans/<int:pk>/library/items/<int:item_pk>/pick/", library_pick, name="library_pick"),
    path("plans/<int:pk>/library/items/<int:item_pk>/remove/", library_remove, name="library_remove"),
]

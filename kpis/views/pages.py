"""The KPI pages of a plan: the list (baseline → current → target), a KPI with its measurements and the roadmap items
expected to move it, and the versioned create / edit / delete pages of KPIs, measurements and links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors, flash_errors
from kpis import selectors, services
from kpis.forms import KpiForm, KpiLinkForm, MeasurementForm
from kpis.models import KpiLink
from roadmaps import selectors as roadmap_selectors
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages


def _context(request, plan, **extra) -> dict:
    request.session["current_organisation_id"] = plan.organisation_id
    return {"plan": plan, "organisation": plan.organisation,
            "can_edit": plan_access(request.user, plan) >= Access.EDIT, **extra}


@login_required
def kpi_list(request, pk):
    plan = plan_for(request.user, pk)
    rows = selectors.kpi_table(user=request.user, plan=plan)
    return render(request, "kpis/list.html", _context(request, plan, rows=rows,
                                                      computed=any(r["kpi"].computed for r in rows)))


@login_required
def kpi_detail(request, pk, kpi_pk):
    plan = plan_for(request.user, pk)
    kpi = get_object_or_404(selectors.kpi_list(user=request.user, plan=plan).select_related(
        "owner_team", "touchpoint__journey", "channel", "persona"), pk=kpi_pk)
    measurements = list(kpi.measurements.select_related("recorded_by").order_by("-measured_on", "-id"))
    series = [(m.measured_on, m.value) for m in reversed(measurements)]
    links = list(kpi.links.select_related("item").order_by("item__title", "id"))
    return render(request, "kpis/detail.html", _context(request, plan, kpi=kpi, row=selectors.kpi_row(kpi, series),
                                                        measurements=measurements, links=links))


def _compute_message(request, kpi, result) -> None:
    done = len(result.created) + len(result.updated)
    if not (done or result.unchanged or result.kept):
        messages.info(request, _("“%s”: no data to compute from yet.") % kpi.name)
        return
    messages.success(request, _("“%(name)s”: %(new)d months added, %(changed)d updated, %(same)d unchanged.")
                     % {"name": kpi.name, "new": len(result.created), "changed": len(result.updated),
                        "same": len(result.unchanged)})
    if result.kept:
        months = ", ".join(day.strftime("%m/%Y") for day in result.kept)
        messages.warning(request, _("“%(name)s”: kept the values typed by hand for %(months)s; delete them to use "
                                    "the computed ones.") % {"name": kpi.name, "months": months})


@login_required
@require_POST
def kpi_compute(request, pk, kpi_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    kpi = get_object_or_404(selectors.kpi_list(user=request.user, plan=plan), pk=kpi_pk)
    try:
        result = services.kpi_compute(kpi=kpi, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        _compute_message(request, kpi, result)
    return redirect("kpi_detail", plan.pk, kpi.pk)


@login_required
@require_POST
def plan_kpis_compute(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    results = services.plan_kpis_compute(plan=plan, actor=request.user)
    names = {k.pk: k for k in selectors.kpi_list(user=request.user, plan=plan).filter(pk__in=list(results))}
    for kpi_pk, result in results.items():
        _compute_message(request, names[kpi_pk], result)
    return redirect("kpis", plan.pk)


class KpiPages(PlanObjectPages):
    name, pk_url_kwarg, list_url = "kpi", "kpi_pk", "kpis"
    form_class, template_name = KpiForm, "kpis/kpi_form.html"
    writes = services.kpi_create, services.kpi_update, services.kpi_delete
    texts = {
        "created": _("KPI “%s” added."), "saved": _("KPI “%s” saved."), "deleted": _("KPI “%s” deleted."),
        "conflict": _("Someone else saved this KPI while you were editing. Their values are shown beside yours; "
                      "keep what you want and save again."),
        "changed": _("Someone changed this KPI meanwhile. Check it is still the one to delete, then confirm again."),
    }
    confirm = {"kind": _("KPI"), "section": _("KPIs"),
               "consequence": _("Its measurements and its links to roadmap items are deleted with it.")}

    def queryset(self):
        return selectors.kpi_list(user=self.request.user, plan=self.plan)

    def form_kwargs(self) -> dict:
        return {"plan": self.plan, "kpi": self.object}

    def success_url(self, kpi) -> str:
        if self.action == "delete" or kpi is None:
            return reverse("kpis", args=[self.plan.pk])
        return reverse("kpi_detail", args=[self.plan.pk, kpi.pk])

    def context(self, **extra) -> dict:
        return _context(self.request, self.plan, **extra)


kpi_create, kpi_edit, kpi_delete = KpiPages.views()


class MeasurementPages(PlanObjectPages):
    """New: /plans/<pk>/kpis/<kpi_pk>/measurements/new/; edit and delete: /plans/<pk>/kpis/measurements/<pk>/…"""

    name, pk_url_kwarg = "measurement", "measurement_pk"
    form_class, template_name = MeasurementForm, "kpis/measurement_form.html"
    writes = services.measurement_create, services.measurement_update, services.measurement_delete
    texts = {
        "created": _("Measurement added."), "saved": _("Measurement saved."), "deleted": _("Measurement deleted."),
        "conflict": _("Someone else saved this measurement while you were editing. Their values are shown beside "
                      "yours; keep what you want and save again."),
        "changed": _("Someone changed this measurement meanwhile. Check it is still the one to delete, then "
                     "confirm again."),
    }
    confirm = {"kind": _("measurement"), "section": _("KPIs"), "consequence": _("The value leaves the KPI's series.")}

    def load(self, pk, **kwargs):
        self.plan = plan_for(self.request.user, pk, Access.EDIT)
        if "kpi_pk" in kwargs:
            self.kpi = get_object_or_404(selectors.kpi_list(user=self.request.user, plan=self.plan),
                                         pk=kwargs["kpi_pk"])
            return None
        measurement = get_object_or_404(selectors.measurement_list(user=self.request.user, plan=self.plan)
                                        .select_related("kpi__plan"), pk=kwargs["measurement_pk"])
        self.kpi = measurement.kpi
        return measurement

    def form_kwargs(self) -> dict:
        return {"kpi": self.kpi, "measurement": self.object}

    def create_kwargs(self) -> dict:
        return {"kpi": self.kpi}

    def label(self, obj) -> str:
        return str(self.kpi)

    def success_url(self, obj) -> str:
        return reverse("kpi_detail", args=[self.plan.pk, self.kpi.pk])

    def context(self, **extra) -> dict:
        return _context(self.request, self.plan, kpi=self.kpi, **extra)


measurement_create, measurement_edit, measurement_delete = MeasurementPages.views()


class KpiLinkPages(PlanObjectPages):
    """A roadmap item expected to move a KPI. New from the KPI's page (choose the item) or from the item's KPI page
    (choose the KPI); edit and delete at /plans/<pk>/kpis/links/<link_pk>/…; back to where it was opened from."""

    name, pk_url_kwarg = "link", "link_pk"
    form_class, template_name = KpiLinkForm, "kpis/link_form.html"
    writes = services.kpi_link_create, services.kpi_link_update, services.kpi_link_delete
    texts = {
        "created": _("Link to “%s” added."), "saved": _("Link to “%s” saved."), "deleted": _("Link to “%s” deleted."),
        "conflict": _("Someone else saved this link while you were editing. Their values are shown beside yours; "
                      "keep what you want and save again."),
        "changed": _("Someone changed this link meanwhile. Check it is still the one to delete, then confirm again."),
    }
    confirm = {"kind": _("KPI expected to move"), "section": _("KPIs"),
               "consequence": _("The item is no longer expected to move this KPI.")}

    def load(self, pk, **kwargs):
        self.plan = plan_for(self.request.user, pk, Access.EDIT)
        self.kpi = self.item = None
        if "kpi_pk" in kwargs:
            self.kpi = get_object_or_404(selectors.kpi_list(user=self.request.user, plan=self.plan),
                                         pk=kwargs["kpi_pk"])
            return None
        if "item_pk" in kwargs:
            self.item = get_object_or_404(roadmap_selectors.roadmap_item_list(user=self.request.user, plan=self.plan)
                                          .select_related(None).prefetch_related(None), pk=kwargs["item_pk"])
            return None
        link = get_object_or_404(selectors.kpi_link_list(user=self.request.user, plan=self.plan)
                                 .select_related("kpi__plan", "item"), pk=kwargs["link_pk"])
        self.kpi = link.kpi
        return link

    def form_kwargs(self) -> dict:
        return {"plan": self.plan, "kpi": self.kpi, "item": self.item, "link": self.object}

    def create_page(self):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            try:
                created = services.kpi_link_create(**form.chosen(), actor=self.request.user, **form.changes())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.done("created", created)
        return self.form_page(form)

    def label(self, link) -> str:
        return str(link.item.title if self.item is None else link.kpi.name)

    def success_url(self, link) -> str:
        back = self.request.GET.get("from") == "item" or self.item is not None
        if back and link is not None:
            return reverse("roadmap_item_kpis", args=[self.plan.pk, link.item_id])
        if back and self.item is not None:
            return reverse("roadmap_item_kpis", args=[self.plan.pk, self.item.pk])
        return reverse("kpi_detail", args=[self.plan.pk, (link.kpi_id if link is not None else self.kpi.pk)])

    def context(self, **extra) -> dict:
        return _context(self.request, self.plan, kpi=self.kpi, item=self.item, **extra)


link_create, link_edit, link_delete = KpiLinkPages.views()


@login_required
def roadmap_item_kpis(request, pk, item_pk):
    """The KPIs a roadmap item is expected to move, and by how much (reached from the item's edit page)."""
    plan = plan_for(request.user, pk)
    items = roadmap_selectors.roadmap_item_list(user=request.user, plan=plan).select_related(None)
    item = get_object_or_404(items.prefetch_related(None), pk=item_pk)
    links = list(KpiLink.objects.filter(item=item).select_related("kpi").order_by("kpi__name", "id"))
    return render(request, "kpis/item_kpis.html", _context(request, plan, item=item, links=links))


urlpatterns = [
    path("plans/<int:pk>/kpis/", kpi_list, name="kpis"),
    path("plans/<int:pk>/kpis/new/", kpi_create, name="kpi_create"),
    path("plans/<int:pk>/kpis/compute/", plan_kpis_compute, name="plan_kpis_compute"),
    path("plans/<int:pk>/kpis/<int:kpi_pk>/", kpi_detail, name="kpi_detail"),
    path("plans/<int:pk>/kpis/<int:kpi_pk>/edit/", kpi_edit, name="kpi_edit"),
    path("plans/<int:pk>/kpis/<int:kpi_pk>/delete/", kpi_delete, name="kpi_delete"),
    path("plans/<int:pk>/kpis/<int:kpi_pk>/compute/", kpi_compute, name="kpi_compute"),
    path("plans/<int:pk>/kpis/<int:kpi_pk>/measurements/new/", measurement_create, name="measurement_create"),
    path("plans/<int:pk>/kpis/measurements/<int:measurement_pk>/edit/", measurement_edit, name="measurement_edit"),
    path("plans/<int:pk>/kpis/measurements/<int:measurement_pk>/delete/", measurement_delete,
         name="measurement_delete"),
    path("plans/<int:pk>/kpis/<int:kpi_pk>/links/new/", link_create, name="kpi_link_create"),
    path("plans/<int:pk>/kpis/links/<int:link_pk>/edit/", link_edit, name="kpi_link_edit"),
    path("plans/<int:pk>/kpis/links/<int:link_pk>/delete/", link_delete, name="kpi_link_delete"),
    path("plans/<int:pk>/roadmap/items/<int:item_pk>/kpis/", roadmap_item_kpis, name="roadmap_item_kpis"),
    path("plans/<int:pk>/roadmap/items/<int:item_pk>/kpis/new/", link_create, name="roadmap_item_kpi_link_create"),
]

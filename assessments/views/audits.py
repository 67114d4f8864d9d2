"""The data audit and the content audit: items in three steps (what we have, need, wish for), each answering the
guiding questions of its step, linked to touchpoints. A need or a wish is a gap: a future roadmap candidate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from assessments import selectors, services
from assessments.forms_audits import AuditItemForm
from assessments.models import QUESTIONS, AuditKind, AuditStep
from core.editing import apply_errors
from core.forms import ConfirmDeleteForm
from core.versioning import StaleVersion
from planning import selectors as planning_selectors
from tenancy.access import Access, plan_access, plan_for


def _touchpoints(request, plan):
    return (planning_selectors.touchpoint_list(user=request.user, plan=plan).select_related("journey")
            .order_by("journey__name", "journey_id", "stage__position", "position", "id"))


def _anchor(kind, step) -> str:
    return f"#{kind}-{step}"


def _answered(item) -> list[tuple[str, str]]:
    answers = item.answers or {}
    return [(question, answers[code]) for code, question in item.questions() if answers.get(code)]


@login_required
def audits(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    items: dict[tuple[str, str], list] = {}
    for item in selectors.audit_item_list(user=request.user, plan=plan):
        item.answered = _answered(item)
        items.setdefault((item.kind, item.step), []).append(item)
    sections = [{
        "kind": kind, "label": kind.label,
        "steps": [{"step": step, "label": step.label, "items": items.get((kind.value, step.value), []),
                   "questions": [q for _code, q in QUESTIONS[(kind, step)]], "is_gap": step != AuditStep.HAVE}
                  for step in AuditStep],
    } for kind in AuditKind]
    return render(request, "assessments/audits/audits.html", {
        "plan": plan, "organisation": plan.organisation, "sections": sections,
        "can_edit": plan_access(request.user, plan) >= Access.EDIT,
        "item_count": sum(len(v) for v in items.values()),
    })


def _form_page(request, plan, form, kind, step, **extra):
    return render(request, "assessments/audits/item_form.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "kind": AuditKind(kind),
        "step": AuditStep(step), **extra,
    })


@login_required
def audit_create(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    kind, step = request.GET.get("kind", ""), request.GET.get("step", "")
    if kind not in AuditKind.values or step not in AuditStep.values:
        raise Http404(_("No such audit step."))
    form = AuditItemForm(request.POST or None, kind=kind, step=step, touchpoints=_touchpoints(request, plan))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.audit_item_create(plan=plan, actor=request.user, kind=kind, step=step, **form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%s” added to the audit.") % item.title)
            return redirect(reverse("audits", args=[plan.pk]) + _anchor(kind, step))
    return _form_page(request, plan, form, kind, step)


def _item(request, pk, item_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    return plan, get_object_or_404(selectors.audit_item_list(user=request.user, plan=plan), pk=item_pk)


@login_required
def audit_edit(request, pk, item_pk):
    plan, item = _item(request, pk, item_pk)
    form = AuditItemForm(request.POST or None, kind=item.kind, step=item.step, touchpoints=_touchpoints(request, plan),
                         initial=AuditItemForm.initial_for(item))
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_item_update(item=item, actor=request.user, version=form.cleaned_data.get("version"),
                                       **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this item while you were editing. Their values are "
                                            "shown beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%s” saved.") % form.cleaned_data["title"])
            return redirect(reverse("audits", args=[plan.pk]) + _anchor(item.kind, item.step))
    return _form_page(request, plan, form, item.kind, item.step, item=item, conflict=conflict, theirs=theirs)


@login_required
def audit_delete(request, pk, item_pk):
    plan, item = _item(request, pk, item_pk)
    form = ConfirmDeleteForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_item_delete(item=item, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            item = stale.current
            form = ConfirmDeleteForm(initial={"version": item.version})
            messages.warning(request, _("Someone changed this item meanwhile. Check it is still the one to delete, "
                                        "then confirm again."))
        else:
            messages.success(request, _("“%s” removed from the audit.") % item.title)
            return redirect(reverse("audits", args=[plan.pk]) + _anchor(item.kind, item.step))
    return render(request, "planning/catalogue/confirm_delete.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "object": item,
        "kind": f"{item.get_kind_display()} · {item.get_step_display()}", "section": _("Audits"),
        "cancel_url": reverse("audits", args=[plan.pk]) + _anchor(item.kind, item.step),
        "consequence": _("The item, its answers and its links to touchpoints are removed. This cannot be undone."),
    })


urlpatterns = [
    path("plans/<int:pk>/audits/", audits, name="audits"),
    path("plans/<int:pk>/audits/new/", audit_create, name="audit_create"),
    path("plans/<int:pk>/audits/<int:item_pk>/", audit_edit, name="audit_edit"),
    path("plans/<int:pk>/audits/<int:item_pk>/delete/", audit_delete, name="audit_delete"),
]

"""The data audit and the content audit: items in three steps (what we have, need, wish for), each answering the
guiding questions of its step, linked to touchpoints. A need or a wish is a gap: a future roadmap candidate."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from assessments import selectors, services
from assessments.forms_audits import AuditItemForm
from assessments.models import QUESTIONS, AuditKind, AuditStep
from planning import selectors as planning_selectors
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages


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


class AuditItemPages(PlanObjectPages):
    name, pk_url_kwarg, list_url = "item", "item_pk", "audits"
    form_class, template_name = AuditItemForm, "assessments/audits/item_form.html"
    writes = services.audit_item_create, services.audit_item_update, services.audit_item_delete
    texts = {
        "created": _("“%s” added to the audit."), "saved": _("“%s” saved."),
        "deleted": _("“%s” removed from the audit."),
        "conflict": _("Someone else saved this item while you were editing. Their values are shown beside yours; "
                      "keep what you want and save again."),
        "changed": _("Someone changed this item meanwhile. Check it is still the one to delete, then confirm again."),
    }
    confirm = {"section": _("Audits"), "consequence": _("The item, its answers and its links to touchpoints are "
                                                        "removed. This cannot be undone.")}

    def load(self, pk, **kwargs):
        item = super().load(pk, **kwargs)
        self.kind, self.step = (item.kind, item.step) if item else (self.request.GET.get("kind", ""),
                                                                     self.request.GET.get("step", ""))
        if self.kind not in AuditKind.values or self.step not in AuditStep.values:
            raise Http404(_("No such audit step."))
        return item

    def queryset(self):
        return selectors.audit_item_list(user=self.request.user, plan=self.plan)

    def form_kwargs(self) -> dict:
        return {"kind": self.kind, "step": self.step, "touchpoints": _touchpoints(self.request, self.plan)}

    def create_kwargs(self) -> dict:
        return {"plan": self.plan, "kind": self.kind, "step": self.step}

    def success_url(self, item) -> str:
        return super().success_url(item) + _anchor(self.kind, self.step)

    def form_page(self, form, **extra):
        return super().form_page(form, kind=AuditKind(self.kind), step=AuditStep(self.step), **extra)

    def delete_context(self, item) -> dict:
        return {**super().delete_context(item), "kind": f"{item.get_kind_display()} · {item.get_step_display()}"}


audit_create, audit_edit, audit_delete = AuditItemPages.views()


urlpatterns = [
    path("plans/<int:pk>/audits/", audits, name="audits"),
    path("plans/<int:pk>/audits/new/", audit_create, name="audit_create"),
    path("plans/<int:pk>/audits/<int:item_pk>/", audit_edit, name="audit_edit"),
    path("plans/<int:pk>/audits/<int:item_pk>/delete/", audit_delete, name="audit_delete"),
]

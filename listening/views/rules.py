"""Theme work on a plan's texts: re-running the organisation's theme rules (a Celery job whose outcome the
listening pages show, refreshed while it runs) and, in listening/views/suggestions.py, suggested new themes."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from listening import selectors, services
from tenancy.access import Access, plan_access, plan_for


def _back(request, plan) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and back.startswith("/"):
        return back
    return reverse("listening", args=[plan.pk]) + "#theme-rules"


@login_required
@require_POST
def rule_run_start(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    run = services.rule_run_request(plan=plan, actor=request.user)
    if run.is_over:  # run at once (no broker: in the request)
        messages.success(request, _("Theme rules run again over the plan's mentions and verbatims."))
    else:
        messages.info(request, _("The theme rules are running over the plan's mentions and verbatims; the outcome "
                                 "shows here when they are done."))
    return redirect(_back(request, plan))


@login_required
@require_GET
def rule_run_status(request, pk):
    """The outcome of the plan's last run (the fragment the pages poll while it runs)."""
    plan = plan_for(request.user, pk)
    # The page that polls (htmx names it) is where the button leads back to; the fragment's own address is not.
    shown_on = urlsplit(request.headers.get("HX-Current-URL", ""))
    back = f"{shown_on.path}?{shown_on.query}" if shown_on.query else shown_on.path
    if not back.startswith(reverse("listening", args=[plan.pk])):
        back = reverse("listening", args=[plan.pk])
    return render(request, "listening/_rule_run.html", {"plan": plan, **rule_run_context(request, plan), "next": back})


def rule_run_context(request, plan) -> dict:
    return {"rule_run": selectors.latest_rule_run(user=request.user, plan=plan),
            "can_run_rules": plan_access(request.user, plan) >= Access.EDIT, "next": request.get_full_path()}


urlpatterns = [
    path("plans/<int:pk>/listening/rules/run/", rule_run_start, name="listening_rule_run"),
    path("plans/<int:pk>/listening/rules/status/", rule_run_status, name="listening_rule_run_status"),
]

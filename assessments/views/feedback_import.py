"""The CSV import of feedback (upload, then a result page) and the two downloads that help prepare a file.

The result is kept in the session and shown on its own page after a redirect, so reloading it never imports the
file a second time.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.forms_feedback import FeedbackImportForm
from assessments.importers import COLUMNS, OPTIONAL, REQUIRED, ImportMode, ImportResult, feedback_import
from core.spreadsheet_formulas import neutralise
from planning.models import Touchpoint
from tenancy.access import Access, plan_for

SESSION_KEY = "feedback_import"


def _context(plan, **extra) -> dict:
    return {"plan": plan, "organisation": plan.organisation, "required": REQUIRED, "optional": OPTIONAL, **extra}


@login_required
def feedback_import_page(request, pk):
    """GET: the upload form with the expected columns; POST: import, then show the result page."""
    plan = plan_for(request.user, pk, Access.EDIT)
    form = FeedbackImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = feedback_import(plan=plan, actor=request.user, file=upload, mode=form.cleaned_data["mode"])
        request.session[SESSION_KEY] = {"plan": plan.pk, "file": upload.name[:200], "result": result.as_dict(),
                                        "at": timezone.now().isoformat()}
        return redirect("feedback_import_result", plan.pk)
    return render(request, "assessments/feedback/import.html", _context(plan, form=form))


@login_required
@require_GET
def feedback_import_result(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("plan") != plan.pk:
        return redirect("feedback_import", plan.pk)
    result = ImportResult.from_dict(stored["result"])
    return render(request, "assessments/feedback/import_result.html", _context(
        plan, result=result, file_name=stored["file"], mode_label=ImportMode(result.mode).label,
        all_or_nothing=result.mode == ImportMode.ALL_OR_NOTHING, form=FeedbackImportForm()))


def _csv_response(filename: str):
    """A CSV download that spreadsheets open right: UTF-8 with a byte-order mark, and semicolons in French (where
    a spreadsheet reads commas as decimal marks)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";" if (get_language() or "").startswith("fr") else ",")


def _cell(value) -> str:
    """A spreadsheet must not run a name that starts like a formula."""
    return neutralise(str(value))


@login_required
@require_GET
def feedback_template_csv(request, pk):
    """The columns and one example row, with a touchpoint id (0) that matches nothing, so that a template sent back
    unchanged imports nothing."""
    plan_for(request.user, pk)
    response, writer = _csv_response("feedback-template.csv")
    writer.writerow(COLUMNS)
    writer.writerow(["0", "nps", "9", timezone.localdate().isoformat(), _("survey"),
                     _("Example row: replace it with your responses. The touchpoint ids are in the touchpoint list.")])
    return response


@login_required
@require_GET
def feedback_touchpoints_csv(request, pk):
    """Every touchpoint of the plan with the id the import expects."""
    plan = plan_for(request.user, pk)
    response, writer = _csv_response(f"plan-{plan.pk}-touchpoints.csv")
    writer.writerow([_("touchpoint"), _("journey"), _("stage"), _("channel"), _("name")])
    touchpoints = (Touchpoint.objects.filter(plan=plan).select_related("journey", "stage", "channel")
                   .order_by("journey__name", "journey_id", "stage__position", "name", "id"))
    for tp in touchpoints:
        writer.writerow([tp.pk, _cell(tp.journey.name), _cell(tp.stage.name), _cell(tp.channel.name), _cell(tp.name)])
    return response


urlpatterns = [
    path("plans/<int:pk>/feedback/import/", feedback_import_page, name="feedback_import"),
    path("plans/<int:pk>/feedback/import/result/", feedback_import_result, name="feedback_import_result"),
    path("plans/<int:pk>/feedback/template.csv", feedback_template_csv, name="feedback_template_csv"),
    path("plans/<int:pk>/feedback/touchpoints.csv", feedback_touchpoints_csv, name="feedback_touchpoints_csv"),
]

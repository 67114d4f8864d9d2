"""Plan exports: ask for one, watch it progress (htmx polls the running rows), download it; import a plan from JSON.

Whoever may view a plan may export it. Files are served by `export_download` after the same access check as the
page (another organisation's export is 404), never from a public media URL.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from roadmaps import selectors, services
from roadmaps.exports.jobs import CONTENT_TYPES, download_name, export_fail_if_stalled
from roadmaps.exports.json_io import plan_import
from roadmaps.models import Export, ExportFormat, ExportStatus, PdfAppendix
from roadmaps.tasks import exports_run_in_process
from tenancy.access import organisation_for, plan_for
from tenancy.models import READ_ONLY_ROLES

IMPORT_MAX_BYTES = 50 * 1024 * 1024
RECENT = 20


class ExportRequestForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ExportFormat.choices, widget=forms.RadioSelect,
                               initial=ExportFormat.PDF)
    pdf_appendix = forms.ChoiceField(
        label=gettext_lazy("PDF appendix"), choices=PdfAppendix.choices, widget=forms.RadioSelect,
        initial=PdfAppendix.AUTO, required=False,
        help_text=gettext_lazy("The appendix lists every row behind the summaries (each evaluated touchpoint, the "
                               "data captured, the feedback of each touchpoint, every roadmap item). A large plan's "
                               "appendix runs to hundreds of pages; the PDF always says what it left out."))


class PlanImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Exported plan (JSON)"),
                           help_text=gettext_lazy("A file from “Export → JSON” of this or another organisation."))
    name = forms.CharField(label=gettext_lazy("Name of the new plan"), max_length=200, required=False,
                           help_text=gettext_lazy("Leave empty to keep the name in the file."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": IMPORT_MAX_BYTES // 2**20})
        return upload


def export_for(user, pk) -> Export:
    """An export of a plan the user may see (else 404), with a dead run reported as failed."""
    export = selectors.export_list(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if export is None:
        raise Http404(_("No such export."))
    return export_fail_if_stalled(export)


def requested_message(export: Export) -> str:
    """What the page says after the request: true whatever state the export has reached by then (a worker or the
    background thread may already have finished it; the row below keeps following it)."""
    export.refresh_from_db(fields=["status"])
    values = {"format": export.get_format_display()}
    if export.status == ExportStatus.SUCCEEDED:
        return _("Your %(format)s export is ready: download it below.") % values
    if export.status == ExportStatus.FAILED:
        return _("Your %(format)s export could not be built; the reason is shown below.") % values
    return _("Your %(format)s export has been requested. Its row below shows its progress as it happens; the "
             "download link appears there when the file is ready.") % values


def row_context(export: Export) -> dict:
    return {"export": export, "in_process": exports_run_in_process()}


def can_import(user, organisation_id) -> bool:
    membership = user.memberships.filter(organisation_id=organisation_id).first()
    return membership is not None and membership.role not in READ_ONLY_ROLES


@login_required
def plan_exports(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export = services.export_request(plan=plan, actor=request.user, format=form.cleaned_data["format"],
                                         pdf_appendix=form.cleaned_data["pdf_appendix"] or PdfAppendix.AUTO)
        messages.success(request, requested_message(export))
        return redirect("plan_exports", plan.pk)
    exports = [export_fail_if_stalled(e) for e in selectors.export_list(user=request.user, plan=plan)[:RECENT]]
    return render(request, "roadmaps/exports/list.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "exports": exports,
        "in_process": exports_run_in_process(), "can_import": can_import(request.user, plan.organisation_id),
    })


@login_required
@require_GET
def export_row(request, pk):
    """One row of the exports table; htmx swaps it in every second until the export has finished."""
    return render(request, "roadmaps/exports/_row.html", row_context(export_for(request.user, pk)))


@login_required
@require_GET
def export_download(request, pk):
    export = export_for(request.user, pk)
    if export.status != ExportStatus.SUCCEEDED or not export.file or not default_storage.exists(export.file.name):
        raise Http404(_("This export has no file (yet)."))
    response = FileResponse(default_storage.open(export.file.name, "rb"), as_attachment=True,
                            filename=download_name(export), content_type=CONTENT_TYPES[export.format])
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def plan_import_page(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    if membership.role in READ_ONLY_ROLES:
        raise PermissionDenied(_("Viewers cannot create plans. Ask an administrator for the editor role."))
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = plan_import(form.cleaned_data["file"].read(), organisation=organisation, actor=request.user,
                                 name=form.cleaned_data["name"] or None)
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("Plan “%s” imported.") % result.plan.name)
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("plan_detail", result.plan.pk)
    return render(request, "roadmaps/exports/import.html", {"organisation": organisation, "form": form})


urlpatterns = [
    path("plans/<int:pk>/exports/", plan_exports, name="plan_exports"),
    path("exports/<int:pk>/row/", export_row, name="export_row"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
    path("organisations/<int:pk>/plans/import/", plan_import_page, name="plan_import"),
]

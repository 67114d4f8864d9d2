"""A version as files: its JSON document (importable as a new plan) and its PDF, both made from the snapshot.

The PDF is rendered by the plan exports' renderer (roadmaps.exports, the one settings.PLAN_EXPORT_RENDERERS may
replace) from the version's data, the first time someone asks, then kept in storage beside the exports: a version
never changes, so neither does its PDF.
"""

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from roadmaps.exports import json_io
from roadmaps.exports.jobs import renderer_for
from tenancy.access import plan_for
from versions import selectors, snapshot


def _version(request, pk, version_pk):
    plan = plan_for(request.user, pk)
    return plan, selectors.version_for(user=request.user, plan=plan, pk=version_pk)


def _filename(plan, version, extension: str) -> str:
    return f"{slugify(plan.name)[:50] or 'plan'}-{slugify(version.name)[:40] or 'version'}.{extension}"


def pdf_name(version) -> str:
    return f"versions/plan-{version.plan_id}/version-{version.pk}.pdf"


def version_pdf_bytes(version) -> bytes:
    """The version's PDF: rendered from its snapshot once, then read from storage."""
    name = pdf_name(version)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    data = snapshot.load(version.snapshot)
    data.plan["name"] = f"{data.plan['name']} · {version.name}"
    content = renderer_for("pdf")(data)
    default_storage.save(name, ContentFile(content))
    return content


@login_required
@require_GET
def version_json(request, pk, version_pk):
    plan, version = _version(request, pk, version_pk)
    response = HttpResponse(json_io.render(snapshot.load(version.snapshot)), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, version, "json")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def version_pdf(request, pk, version_pk):
    plan, version = _version(request, pk, version_pk)
    response = FileResponse(iter([version_pdf_bytes(version)]), as_attachment=True,
                            filename=_filename(plan, version, "pdf"), content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("plans/<int:pk>/versions/<int:version_pk>/json/", version_json, name="version_json"),
    path("plans/<int:pk>/versions/<int:version_pk>/pdf/", version_pdf, name="version_pdf"),
]

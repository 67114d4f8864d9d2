"""Exports API: ask for an export of a plan (202), poll it, download its file; import a plan from JSON.

- POST /api/v1/plans/{id}/exports/  {"format": "pdf"}  → 202 with the export (status "queued"); a PDF takes
  "pdf_appendix": "auto" (default), "full" or "summary"
- GET  /api/v1/plans/{id}/exports/  the plan's exports, newest first
- GET  /api/v1/exports/{id}/        status, progress, error, and `download_url` once it has succeeded
- GET  /api/v1/exports/{id}/download/  the file (same access check: another organisation's export is 404)
- POST /api/v1/plans/import/  {"organisation": 1, "data": {…}} → 201 new plan (the exported file's JSON as `data`)

Both POSTs honour `Idempotency-Key` (sync.api.idempotency): a retried request gives one export, one plan.

Whoever may view a plan may export it; importing needs a role that creates plans (not viewer).
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import FormatIsAFilterNegotiation
from core.site import absolute_url
from roadmaps import selectors, services
from roadmaps.api.filters import ExportFilter
from roadmaps.exports.jobs import CONTENT_TYPES, download_name, export_fail_if_stalled
from roadmaps.exports.json_io import plan_import
from roadmaps.models import Export, ExportFormat, ExportStatus, PdfAppendix
from tenancy.access import organisation_for, plan_for


class ExportSerializer(serializers.ModelSerializer):
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(
        help_text="Where to GET the file once `status` is `succeeded`; null before.")

    class Meta:
        model = Export
        fields = ("id", "plan", "format", "format_label", "pdf_appendix", "status", "progress", "error", "attempts",
                  "requested_by", "created_at", "started_at", "finished_at", "url", "download_url")
        read_only_fields = fields

    def _absolute(self, name, pk) -> str:
        # SITE_URL, with or without a request: the same address in the API and in "export.finished" (core.site).
        return absolute_url(reverse(name, args=[pk]))

    def get_url(self, export) -> str:
        return self._absolute("export-detail", export.pk)

    def get_download_url(self, export) -> str | None:
        if export.status != ExportStatus.SUCCEEDED:
            return None
        return self._absolute("export-download", export.pk)


class ExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    pdf_appendix = serializers.ChoiceField(
        choices=PdfAppendix.choices, default=PdfAppendix.AUTO,
        help_text="PDF only: `auto` (the default) adds the appendix of every row (evaluations, data captured, feedback "
                  "by touchpoint, every roadmap item) unless the PDF would go over its page budget (PDF_PAGE_BUDGET, "
                  "400 pages by default); `full` always adds it; `summary` never does. The PDF says what it left "
                  "out.")


EXPORT_EXAMPLE = OpenApiExample("Queued PDF export", response_only=True, status_codes=["202"], value={
    "id": 12, "plan": 3, "format": "pdf", "format_label": "PDF document", "pdf_appendix": "auto", "status": "queued",
    "progress": 0,
    "error": "", "attempts": 0, "requested_by": "claire", "created_at": "2027-03-01T10:00:00+01:00",
    "started_at": None, "finished_at": None, "url": "https://plans.example.com/api/v1/exports/12/",
    "download_url": None})


class PlanExportsView(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The exports of one plan (GET), and asking for a new one (POST → 202; poll its `url`).

    A viewset routed by hand (roadmaps/api/routes.py), so its actions are known to the schema and to
    Idempotency-Key."""

    serializer_class = ExportSerializer
    filter_backends: list = []

    def get_queryset(self):
        plan = plan_for(self.request.user, self.kwargs["pk"])
        return selectors.export_list(user=self.request.user, plan=plan)

    @extend_schema(summary="List a plan's exports")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Ask for an export of a plan", request=ExportRequestSerializer,
                   responses={202: ExportSerializer, 404: OpenApiResponse(description="No such plan (or not yours).")},
                   parameters=[OpenApiParameter("Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[202],
                                                description="The export's address: poll it (its `url`).")],
                   examples=[OpenApiExample("PDF", value={"format": "pdf"}, request_only=True),
                             OpenApiExample("PDF without its appendix", request_only=True,
                                            value={"format": "pdf", "pdf_appendix": "summary"}), EXPORT_EXAMPLE])
    def create(self, request, pk):
        plan = plan_for(request.user, pk)
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        export = services.export_request(plan=plan, actor=request.user, format=body.validated_data["format"],
                                         pdf_appendix=body.validated_data["pdf_appendix"])
        data = ExportSerializer(export, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


@extend_schema(tags=["exports"])
class ExportViewSet(viewsets.ReadOnlyModelViewSet):
    """Exports of the plans you may see: poll one until `status` is `succeeded` (then download) or `failed`."""

    serializer_class = ExportSerializer
    queryset = Export.objects.none()  # for the schema; requests use get_queryset
    filterset_class = ExportFilter
    content_negotiation_class = FormatIsAFilterNegotiation  # ?format=pdf filters; it picks no renderer
    ordering_fields = ("created_at", "finished_at", "updated_at")

    def get_queryset(self):
        return selectors.export_list(user=self.request.user)

    def get_object(self):
        return export_fail_if_stalled(super().get_object())

    @extend_schema(summary="Download the exported file",
                   description="The file in the export's format: PDF, a ZIP of CSV files, an XLSX workbook or the "
                               "JSON document that POST /api/v1/plans/import/ takes as `data`.",
                   responses={**{(200, content_type): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()},
                              404: OpenApiResponse(description="No such export, or it has no file yet.")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        export = self.get_object()
        if export.status != ExportStatus.SUCCEEDED or not export.file or not default_storage.exists(export.file.name):
            raise Http404(_("This export has no file (yet)."))
        response = FileResponse(default_storage.open(export.file.name, "rb"), as_attachment=True,
                                filename=download_name(export), content_type=CONTENT_TYPES[export.format])
        response["Cache-Control"] = "private, no-store"
        return response


class PlanImportSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="The organisation the new plan belongs to.")
    name = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                 help_text="Name of the new plan; defaults to the name in the file.")
    data = serializers.JSONField(help_text="The exported document: the content of the exported JSON file.")


class PlanImportView(viewsets.ViewSet):
    """Create a new plan from an exported JSON document (export → import → export gives the same content).
    Routed by hand as {"post": "create"}."""

    @extend_schema(summary="Import a plan from JSON", request=PlanImportSerializer, responses={
        201: inline_serializer("PlanImported", {"plan": serializers.IntegerField(), "name": serializers.CharField(),
                                                "warnings": serializers.ListField(child=serializers.CharField())}),
        400: OpenApiResponse(description="Not a plan export, or invalid values (nothing is created)."),
        403: OpenApiResponse(description="Viewers cannot create plans."),
        404: OpenApiResponse(description="Not a member of that organisation.")},
        examples=[OpenApiExample("JSON body", request_only=True, value={
            "organisation": 1, "name": "Copy of the 2027 plan",
            "data": {"format": "journey-planner/plan", "version": 1, "plan": {"name": "Omnichannel 2027"}}})])
    def create(self, request):
        body = PlanImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation, _membership = organisation_for(request.user, body.validated_data["organisation"])
        try:
            result = plan_import(body.validated_data["data"], organisation=organisation, actor=request.user,
                                 name=body.validated_data.get("name") or None)
        except ValidationError as error:
            raise serializers.ValidationError({"data": error.messages}) from None
        return Response({"plan": result.plan.pk, "name": result.plan.name, "warnings": result.warnings},
                        status=status.HTTP_201_CREATED)

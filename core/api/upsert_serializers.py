"""The serializers and OpenAPI text of the upserts (core.api.upsert): external id fields, bulk answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

BULK_LIMIT = 1000


class ExternalIdSerializerMixin(serializers.Serializer):
    """`external_source` and `external_id` on a model serializer: optional, unchanged when left out (no default
    that a PUT would write), and an id needs its source. Put it first among the serializer's bases."""

    external_source = serializers.CharField(
        max_length=50, required=False, allow_blank=True,
        help_text=_("The system the external id comes from, for example “crm”. Required with an external id."))
    external_id = serializers.CharField(
        max_length=200, required=False, allow_blank=True,
        help_text=_("This object's id in that system. Unique per source within the plan for a plan's objects, "
                    "within the organisation for plans, teams and channels."))

    def get_unique_together_validators(self):
        # The model's own validation names the clash in a sentence; DRF's generic validator would also make
        # the fields required on creation.
        return [v for v in super().get_unique_together_validators() if "external_id" not in v.fields]

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        source = attrs.get("external_source", getattr(self.instance, "external_source", ""))
        if attrs.get("external_id", getattr(self.instance, "external_id", "")) and not source:
            raise ValidationError({"external_source": [_("Give the source of the external id.")]})
        return attrs


class BulkUpsertResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request, from 0."))
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    external_source = serializers.CharField()
    external_id = serializers.CharField()


class BulkUpsertResponseSerializer(serializers.Serializer):
    results = BulkUpsertResultSerializer(many=True)


class BulkUpsertItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request, from 0."))
    errors = serializers.DictField(help_text=_("Field name (or `non_field_errors`, `detail`) -> messages."))


class BulkUpsertErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = BulkUpsertItemErrorSerializer(many=True)


def document_upsert_actions(view):
    """Per-resource OpenAPI text for the two actions (the request and answer use the resource's serializer)."""
    serializer_class = view.serializer_class
    name = serializer_class.Meta.model.__name__
    verbose = str(serializer_class.Meta.model._meta.verbose_name)
    field, _model, column = view.upsert_scope
    param = {"plan_id": "plan", "organisation_id": "organisation"}.get(column)
    narrowing = [OpenApiParameter(param, OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                                  description=_("Look the external id up in this %(param)s only.") % {"param": param})]
    precondition = OpenApiResponse(
        _precondition_serializer(f"{name}UpsertPrecondition", serializer_class),
        description=_("If-Match did not match (stale, or no such object yet), or If-None-Match: * and it exists."))
    headers = [
        OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                         description=_("Update only if the object is at this version (its ETag).")),
        OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                         description=_("`*`: create only; 412 if an object with this external id exists.")),
        OpenApiParameter("external_source", OpenApiTypes.STR, OpenApiParameter.PATH),
        OpenApiParameter("external_id", OpenApiTypes.STR, OpenApiParameter.PATH),
    ]
    extend_schema_view(
        by_external_id=extend_schema(
            summary=f"Create or update a {verbose} by its external id",
            description=f"The body is the whole {verbose}, as for a create (the {field} names where it lives). "
                        "200 when it existed (updated or unchanged), 201 when created.",
            parameters=headers + narrowing,
            request=serializer_class,
            responses={200: serializer_class, 201: serializer_class, 412: precondition},
        ),
        bulk_upsert=extend_schema(
            summary=f"Create or update up to {BULK_LIMIT} {serializer_class.Meta.model._meta.verbose_name_plural} "
                    "by external id, all or none",
            description="Every item needs `external_source` and `external_id`. All items are validated before "
                        "anything is written; any error writes nothing and lists every failing item.",
            parameters=narrowing,
            request=serializer_class(many=True),
            responses={200: BulkUpsertResponseSerializer, 400: BulkUpsertErrorSerializer,
                       403: BulkUpsertErrorSerializer, 409: BulkUpsertErrorSerializer},
        ),
    )(view)


def _precondition_serializer(name: str, serializer_class):
    return type(name, (serializers.Serializer,), {
        "detail": serializers.CharField(),
        "current": serializer_class(allow_null=True, read_only=True),
    })()

"""The serializers and OpenAPI text of the upserts (sync.api.upsert): external id fields, bulk answers."""

import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

BULK_LIMIT = 1000


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
            request=upsert_item_serializer(serializer_class)(many=True),
            responses={200: BulkUpsertResponseSerializer, 400: BulkUpsertErrorSerializer,
                       403: BulkUpsertErrorSerializer, 409: BulkUpsertErrorSerializer},
        ),
    )(view)


@functools.cache
def upsert_item_serializer(serializer_class):
    """For the schema: the resource's serializer with `external_source` and `external_id` required, as a bulk
    upsert's items need them (the validation itself is sync.api.upsert's)."""
    name = serializer_class.Meta.model.__name__
    return type(f"{name}UpsertItem", (serializer_class,), {
        "__module__": __name__,
        "external_source": serializers.CharField(max_length=50, help_text=_("The system the external id comes from.")),
        "external_id": serializers.CharField(max_length=200, help_text=_("This object's id in that system.")),
    })


def _precondition_serializer(name: str, serializer_class):
    """The 412 of a by-external-id PUT: a problem (core/api/problems.py) with the object as it is now."""
    return type(name, (serializers.Serializer,), {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "current": serializer_class(allow_null=True, read_only=True),
    })()

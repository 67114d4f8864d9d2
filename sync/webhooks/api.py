"""`/api/v1/webhook-subscriptions/`: organisation owners and admins manage webhooks and read their delivery log.

A non-admin member's request for a subscription of their organisation answers 403; another organisation's, 404.
The signing secret is in the answers to the creation and to a rotation only.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import UpdatedSinceFilterSet
from sync.api.idempotency import IdempotentWritesMixin
from sync.webhooks import selectors, services
from sync.webhooks.events import event_types
from sync.webhooks.models import WebhookDelivery, WebhookSubscription
from tenancy import selectors as tenancy_selectors
from tenancy.models import Organisation


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=event_types()), allow_empty=False,
                                        help_text=_('"<type>.<verb>" ("touchpoint.updated") or "export.finished".'))
    secret = serializers.SerializerMethodField(help_text=_(
        'The Standard Webhooks signing secret ("whsec_" + base64 of the key): in the answers to the creation and '
        "to a rotation only. Keep it to check the webhook-signature header."))
    previous_secret_expires_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_(
        "After a rotation, until when the previous secret also signs each delivery (a second signature)."))

    class Meta:
        model = WebhookSubscription
        fields = ("id", "organisation", "url", "description", "event_types", "is_active", "secret",
                  "previous_secret_expires_at", "created_at", "updated_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = tenancy_selectors.organisation_list(user=request.user)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_secret(self, obj):
        return obj.secret if self.context.get("show_secret") else None

    def validate(self, attrs):
        if self.instance is not None and "organisation" in attrs:
            if attrs.pop("organisation") != self.instance.organisation:
                raise serializers.ValidationError(
                    {"organisation": _("A webhook cannot move to another organisation.")})
        return attrs


class WebhookDeliverySerializer(serializers.ModelSerializer):
    log = serializers.JSONField(read_only=True, help_text=_(
        "Every attempt: {attempt, at, response_code, error, duration_ms}."))
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ("id", "uuid", "event_id", "event_type", "status", "response_code", "attempts", "last_error",
                  "next_attempt_at", "log", "payload", "created_at", "updated_at")
        read_only_fields = fields


class WebhookDeliveryFilter(UpdatedSinceFilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ("status", "event_type", "updated_since")


class WebhookSubscriptionFilter(UpdatedSinceFilterSet):
    organisation = filters.NumberFilter(field_name="organisation_id", help_text=_("Only this organisation's."))

    class Meta:
        model = WebhookSubscription
        fields = ("organisation", "is_active", "updated_since")


@extend_schema_view(
    list=extend_schema(summary="List the webhooks of the organisations you own or administer"),
    retrieve=extend_schema(summary="Get a webhook"),
    create=extend_schema(summary="Subscribe a URL to events", examples=[OpenApiExample(
        "Touchpoint changes", request_only=True,
        value={"organisation": 1, "url": "https://crm.example.com/hooks/journeys",
               "event_types": ["touchpoint.created", "touchpoint.updated", "touchpoint.deleted"]})]),
    update=extend_schema(summary="Replace a webhook"),
    partial_update=extend_schema(summary="Change a webhook (URL, events, switch it off)"),
    destroy=extend_schema(summary="Delete a webhook and its delivery log"),
)
class WebhookSubscriptionViewSet(IdempotentWritesMixin, viewsets.ModelViewSet):
    """Signed webhooks (see docs/webhooks.md for the signature and a verification snippet)."""

    queryset = WebhookSubscription.objects.none()  # for the schema; requests use get_queryset
    serializer_class = WebhookSubscriptionSerializer
    filterset_class = WebhookSubscriptionFilter
    ordering_fields = ("created_at", "updated_at", "url")

    def get_queryset(self):
        return selectors.subscription_list(user=self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        subscription = selectors.subscription_for(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, subscription)
        return subscription

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.subscription_create(actor=self.request.user, **data)
        serializer.context["show_secret"] = True

    def perform_update(self, serializer):
        services.subscription_update(subscription=serializer.instance, actor=self.request.user,
                                     **serializer.validated_data)

    def perform_destroy(self, instance):
        services.subscription_delete(subscription=instance, actor=self.request.user)

    @extend_schema(summary="A webhook's delivery log, newest first", responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[DjangoFilterBackend], filterset_class=WebhookDeliveryFilter,
            serializer_class=WebhookDeliverySerializer, queryset=WebhookDelivery.objects.none())
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(self.filter_queryset(selectors.delivery_list(subscription=self.get_object())))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send an event again, by the id the receiver saw",
        description=("`delivery_id` is the `webhook-id` header (the event's id) or the deprecated "
                     "`X-JourneyPlanner-Delivery` header. A new delivery of the same event is made: the same "
                     "`webhook-id` and payload, fresh attempts."),
        request=None, responses={202: WebhookDeliverySerializer},
        operation_id="v1_webhook_subscriptions_deliveries_redeliver_by_id_create",
        parameters=[OpenApiParameter("delivery_id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>[0-9a-fA-F-]{32,36})/redeliver",
            serializer_class=WebhookDeliverySerializer, filter_backends=[])
    def redeliver(self, request, pk=None, delivery_id=None):
        delivery = selectors.delivery_for(subscription=self.get_object(), id_seen=delivery_id)
        return self._redeliver(delivery)

    # Deprecated, served for one more release but left out of the schema: OpenAPI cannot tell two paths apart that
    # differ only by their parameter's name (Redocly's no-ambiguous-paths), and clients should use the webhook-id.
    @extend_schema(exclude=True)
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_pk>\d+)/redeliver",
            serializer_class=WebhookDeliverySerializer, filter_backends=[])
    def redeliver_by_number(self, request, pk=None, delivery_pk=None):
        delivery = get_object_or_404(selectors.delivery_list(subscription=self.get_object()), pk=delivery_pk)
        return self._redeliver(delivery)

    def _redeliver(self, delivery):
        again = services.delivery_redeliver(delivery=delivery, actor=self.request.user)
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Rotate the signing secret",
        description=("Answers the webhook with its new `secret` (shown this once). Until "
                     "`previous_secret_expires_at` (WEBHOOKS_SECRET_GRACE_SECONDS, 24 h by default) each delivery "
                     "carries two signatures in `webhook-signature`, one per secret."),
        request=None, responses={200: WebhookSubscriptionSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret", filter_backends=[])
    def rotate_secret(self, request, pk=None):
        subscription = services.subscription_rotate_secret(subscription=self.get_object(), actor=request.user)
        context = {**self.get_serializer_context(), "show_secret": True}
        response = Response(WebhookSubscriptionSerializer(subscription, context=context).data)
        response["Cache-Control"] = "no-store"
        return response

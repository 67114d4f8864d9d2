"""Reads of webhook subscriptions and deliveries, limited to the organisations the user manages."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sync.webhooks.models import WebhookDelivery, WebhookSubscription
from tenancy.access import memberships_of, require_manager
from tenancy.models import MANAGING_ROLES


def subscription_list(*, user, organisation=None) -> QuerySet[WebhookSubscription]:
    """Subscriptions of the organisations the user owns or administers."""
    if not user.is_authenticated:
        return WebhookSubscription.objects.none()
    managed = memberships_of(user).filter(role__in=MANAGING_ROLES).values("organisation_id")
    qs = WebhookSubscription.objects.filter(organisation_id__in=managed).select_related("organisation")
    return qs.filter(organisation=organisation) if organisation is not None else qs


def subscription_for(*, user, pk) -> WebhookSubscription:
    """The subscription if it belongs to one of the user's organisations (else 404), for an owner or admin of it
    (else 403)."""
    if not user.is_authenticated or not str(pk).isdigit():
        raise Http404(_("No such webhook."))
    member_of = memberships_of(user).values("organisation_id")
    subscription = (WebhookSubscription.objects.select_related("organisation")
                    .filter(pk=pk, organisation_id__in=member_of).first())
    if subscription is None:
        raise Http404(_("No such webhook."))
    require_manager(user, subscription.organisation)
    return subscription


def delivery_list(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return subscription.deliveries.order_by("-created_at", "-id")


def delivery_for(*, subscription: WebhookSubscription, id_seen: str) -> WebhookDelivery:
    """The latest delivery of this subscription by an id its receiver saw: the webhook-id (the event's id) or the
    deprecated X-JourneyPlanner-Delivery (the delivery's uuid); 404 for anything else."""
    try:
        seen = uuid.UUID(str(id_seen))
    except ValueError as error:
        raise Http404(_("No such delivery.")) from error
    found = delivery_list(subscription=subscription).filter(Q(event_id=seen) | Q(uuid=seen)).first()
    if found is None:
        raise Http404(_("No such delivery."))
    return found

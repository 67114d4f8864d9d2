"""Reads of webhook subscriptions and deliveries, limited to the organisations the user manages."""

from django.db.models import QuerySet
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

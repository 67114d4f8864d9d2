"""Every write of webhooks: subscriptions, events becoming deliveries, and delivery attempts.

Events are created after the write that caused them commits (transaction.on_commit): a rolled-back write sends
nothing. Each recorded batch of activity rows (one tracked write, or a bulk import's batch) costs one query for
the organisation's active subscriptions, and nothing more when there are none.
"""

import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from roadmaps.api.exports import ExportSerializer
from sync.api.changes import FEED_VERBS, change_entries, type_name
from sync.webhooks import network, signing
from sync.webhooks.events import EXPORT_FINISHED, change_event, event_types
from sync.webhooks.models import WebhookDelivery, WebhookSubscription
from sync.webhooks.tasks import webhook_deliver_task
from tenancy.access import require_manager
from tenancy.admin_log import admin_log_record
from tenancy.models import Activity, AdminAction

ENTRIES_PER_QUERY = 500


def _clean(url: str, chosen) -> tuple[str, list[str]]:
    url = (url or "").strip()
    try:
        network.check_target(url)
    except network.UnsafeTarget as error:
        raise ValidationError({"url": str(error)}) from error
    known = event_types()
    chosen = list(dict.fromkeys(chosen or []))
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ValidationError({"event_types": _("Unknown events: %s.") % ", ".join(unknown)})
    if not chosen:
        raise ValidationError({"event_types": _("Choose at least one event.")})
    return url, chosen


@transaction.atomic
def subscription_create(*, organisation, actor, url: str, event_types: list[str], description: str = "",
                        is_active: bool = True) -> WebhookSubscription:
    """Owners and admins subscribe a public URL; the signing secret is generated here (show it to them once)."""
    require_manager(actor, organisation)
    url, event_types = _clean(url, event_types)
    subscription = WebhookSubscription(organisation=organisation, url=url, event_types=event_types,
                                       description=description.strip(), is_active=is_active,
                                       secret=signing.new_secret(), created_by=actor)
    subscription.full_clean()
    subscription.save()
    admin_log_record(organisation=organisation, actor=actor, action=AdminAction.WEBHOOK_CREATED, target=subscription,
                     after=_subscription_values(subscription))
    return subscription


def _subscription_values(subscription: WebhookSubscription) -> dict:
    """What the admin log keeps of a subscription (never its secret)."""
    return {"url": subscription.url, "event_types": subscription.event_types,
            "description": subscription.description, "is_active": subscription.is_active}


@transaction.atomic
def subscription_update(*, subscription: WebhookSubscription, actor, **changes) -> WebhookSubscription:
    require_manager(actor, subscription.organisation)
    before = _subscription_values(subscription)
    url, chosen = _clean(changes.get("url", subscription.url), changes.get("event_types", subscription.event_types))
    subscription.url, subscription.event_types = url, chosen
    for name in ("description", "is_active"):
        if name in changes:
            setattr(subscription, name, changes[name])
    subscription.full_clean()
    subscription.save()
    if before != _subscription_values(subscription):
        admin_log_record(organisation=subscription.organisation_id, actor=actor, action=AdminAction.WEBHOOK_CHANGED,
                         target=subscription, before=before, after=_subscription_values(subscription))
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription, actor) -> WebhookSubscription:
    """A new signing secret (show it once). The one it replaces keeps signing too, as a second webhook-signature,
    for WEBHOOKS_SECRET_GRACE_SECONDS, so the receiver can switch without refusing deliveries. The deprecated
    X-JourneyPlanner-Signature, which carries one signature only, uses the new secret at once."""
    require_manager(actor, subscription.organisation)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = timezone.now() + timedelta(
        seconds=getattr(settings, "WEBHOOKS_SECRET_GRACE_SECONDS", 86_400))
    subscription.secret = signing.new_secret()
    subscription.legacy_secret = ""
    subscription.full_clean()
    subscription.save()
    grace = {"previous_secret_expires_at": subscription.previous_secret_expires_at}  # never the secrets themselves
    admin_log_record(organisation=subscription.organisation_id, actor=actor, action=AdminAction.WEBHOOK_SECRET_ROTATED,
                     target=subscription, before={"url": subscription.url}, after={"url": subscription.url, **grace})
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, actor) -> None:
    require_manager(actor, subscription.organisation)
    admin_log_record(organisation=subscription.organisation_id, actor=actor, action=AdminAction.WEBHOOK_DELETED,
                     target=subscription, before=_subscription_values(subscription))
    subscription.delete()


# Events --------------------------------------------------------------------------------------------------------


def activities_recorded(activities) -> None:
    """tenancy.activity hook: once the writer's transaction commits, turn its rows into deliveries.

    Organisations without an active webhook (most) cost one indexed query per recorded batch and keep nothing
    until the commit, so a 100,000-row import holds no list of its rows for webhooks."""
    organisations = {activity.organisation_id for activity in activities}
    if not WebhookSubscription.objects.filter(organisation_id__in=organisations, is_active=True).exists():
        return
    rows = [(activity.pk, activity.organisation_id) for activity in activities]
    transaction.on_commit(lambda: deliver_changes(rows), robust=True)


def _subscribers(organisation_ids) -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(organisation_id__in=organisation_ids, is_active=True))


def _plain(payload: dict) -> dict:
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def _envelope(event_id, event_type: str, organisation_id: int, data) -> dict:
    return _plain({"id": str(event_id), "type": event_type, "created_at": timezone.now(),
                   "organisation": organisation_id, "data": data})


def deliver_changes(rows: list[tuple[int, int]]) -> list[WebhookDelivery]:
    """Deliveries for committed activity rows whose event an active subscription of their organisation wants."""

    subscriptions = _subscribers({organisation_id for _id, organisation_id in rows})
    if not subscriptions:
        return []
    ids = [activity_id for activity_id, _org in rows]
    deliveries = []
    for start in range(0, len(ids), ENTRIES_PER_QUERY):
        # Rows of a rolled-back savepoint are simply not found.
        activities = list(Activity.objects.filter(pk__in=ids[start:start + ENTRIES_PER_QUERY], verb__in=FEED_VERBS)
                          .order_by("id"))
        wanted = []
        for activity in activities:
            event = change_event(type_name(activity.target_type), activity.verb)
            targets = [s for s in subscriptions
                       if s.organisation_id == activity.organisation_id and event in s.event_types]
            if targets:
                wanted.append((activity, event, targets))
        entries = change_entries([activity for activity, _event, _targets in wanted], context={})
        for (activity, event, targets), entry in zip(wanted, entries, strict=True):
            payload = _envelope(uuid.uuid4(), event, activity.organisation_id, entry)
            deliveries += [WebhookDelivery(subscription=s, event_id=payload["id"], event_type=event, payload=payload)
                           for s in targets]
    return _enqueue(WebhookDelivery.objects.bulk_create(deliveries))


def emit_event(organisation_id: int, event_type: str, payload: dict) -> None:
    """Send an event that is not an object change (e.g. "export.finished") to the organisation's subscribers.

    `payload` (JSON-able) becomes the event's `data`. Deliveries are created once the current transaction
    commits (at once outside one), so an event of a rolled-back write is never sent.
    """
    def deliver():
        targets = [s for s in _subscribers([organisation_id]) if event_type in s.event_types]
        if not targets:
            return
        envelope = _envelope(uuid.uuid4(), event_type, organisation_id, payload)
        _enqueue(WebhookDelivery.objects.bulk_create([
            WebhookDelivery(subscription=s, event_id=envelope["id"], event_type=event_type, payload=envelope)
            for s in targets
        ]))

    transaction.on_commit(deliver, robust=True)


def _enqueue(deliveries: list[WebhookDelivery]) -> list[WebhookDelivery]:
    """Hand the deliveries to the workers; with the broker down they stay pending for the sweep (tasks.py)."""
    for delivery in deliveries:
        try:
            task_send(webhook_deliver_task, delivery.pk)
        except BrokerUnavailable:
            break  # the rest would fail the same way; webhook_deliveries_sweep_task sends them later
    return deliveries


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send the same event again, as a new delivery: the same event id (so the same webhook-id: a receiver that
    already processed it may skip it) and payload, a new delivery id, fresh attempts."""
    require_manager(actor, delivery.subscription.organisation)
    again = WebhookDelivery.objects.create(subscription=delivery.subscription, event_id=delivery.event_id,
                                           event_type=delivery.event_type, payload=delivery.payload)
    transaction.on_commit(lambda: _enqueue([again]))
    return again


# Attempts ------------------------------------------------------------------------------------------------------


def export_finished(export) -> None:
    """roadmaps.exports.jobs hook: send "export.finished" with the export as the API shows it (status, error,
    download_url), once the current transaction commits."""
    emit_event(export.plan.organisation_id, EXPORT_FINISHED, dict(ExportSerializer(export).data))

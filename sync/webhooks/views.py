"""The organisation's webhooks pages (owners and admins): list and create, edit with the delivery log, rotate the
secret, delete, redeliver."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors
from sync.webhooks import selectors, services
from sync.webhooks.forms import WebhookForm
from tenancy.access import organisation_for

DELIVERIES_PER_PAGE = 25


def _subscription(request, pk, webhook_pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    subscriptions = selectors.subscription_list(user=request.user, organisation=organisation)
    return organisation, membership, get_object_or_404(subscriptions, pk=webhook_pk)


def _initial(subscription):
    return {"url": subscription.url, "description": subscription.description,
            "event_types": subscription.event_types, "is_active": subscription.is_active}


@login_required
def webhooks(request, pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.subscription_create(organisation=organisation, actor=request.user,
                                                   **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = WebhookForm()
    response = render(request, "sync/webhooks/list.html", {
        "organisation": organisation, "membership": membership, "form": form, "created": created,
        "subscriptions": selectors.subscription_list(user=request.user, organisation=organisation),
    })
    if created is not None:
        response["Cache-Control"] = "no-store"  # the secret is in this page only
    return response


@login_required
def webhook_detail(request, pk, webhook_pk):
    organisation, membership, subscription = _subscription(request, pk, webhook_pk)
    form = WebhookForm(request.POST or None, initial=_initial(subscription), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(subscription=subscription, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("webhook_detail", organisation.pk, subscription.pk)
    return _detail_page(request, organisation, membership, subscription, form)


def _detail_page(request, organisation, membership, subscription, form, rotated=False):
    deliveries = Paginator(selectors.delivery_list(subscription=subscription), DELIVERIES_PER_PAGE)
    response = render(request, "sync/webhooks/detail.html", {
        "organisation": organisation, "membership": membership, "subscription": subscription, "form": form,
        "deliveries": deliveries.get_page(request.GET.get("page")), "rotated": rotated,
    })
    if rotated:
        response["Cache-Control"] = "no-store"  # the new secret is in this page only
    return response


@login_required
@require_POST
def webhook_rotate_secret(request, pk, webhook_pk):
    organisation, membership, subscription = _subscription(request, pk, webhook_pk)
    services.subscription_rotate_secret(subscription=subscription, actor=request.user)
    return _detail_page(request, organisation, membership, subscription,
                        WebhookForm(initial=_initial(subscription), editing=True), rotated=True)


@login_required
def webhook_delete(request, pk, webhook_pk):
    organisation, membership, subscription = _subscription(request, pk, webhook_pk)
    if request.method == "POST":
        services.subscription_delete(subscription=subscription, actor=request.user)
        messages.success(request, _("Webhook to %s deleted.") % subscription.url)
        return redirect("webhooks", organisation.pk)
    return render(request, "sync/webhooks/confirm_delete.html", {
        "organisation": organisation, "membership": membership, "subscription": subscription,
    })


@login_required
@require_POST
def webhook_redeliver(request, pk, webhook_pk, delivery_id):
    organisation, _membership, subscription = _subscription(request, pk, webhook_pk)
    delivery = selectors.delivery_for(subscription=subscription, id_seen=delivery_id)
    services.delivery_redeliver(delivery=delivery, actor=request.user)
    messages.success(request, _("The “%s” event is being sent again.") % delivery.event_type)
    return redirect("webhook_detail", organisation.pk, subscription.pk)

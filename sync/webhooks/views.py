"""The organisation's webhooks pages (owners and admins): list and create, edit with the delivery log, delete,
redeliver."""

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
    initial = {"url": subscription.url, "description": subscription.description,
               "event_types": subscription.event_types, "is_active": subscription.is_active}
    form = WebhookForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(subscription=subscription, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("webhook_detail", organisation.pk, subscription.pk)
    deliveries = Paginator(selectors.delivery_list(subscription=subscription), DELIVERIES_PER_PAGE)
    return render(request, "sync/webhooks/detail.html", {
        "organisation": organisation, "membership": membership, "subscription": subscription, "form": form,
        "deliveries": deliveries.get_page(request.GET.get("page")),
    })


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
def webhook_redeliver(request, pk, webhook_pk, delivery_pk):
    organisation, _membership, subscription = _subscription(request, pk, webhook_pk)
    delivery = get_object_or_404(selectors.delivery_list(subscription=subscription), pk=delivery_pk)
    services.delivery_redeliver(delivery=delivery, actor=request.user)
    messages.success(request, _("The “%s” event is being sent again.") % delivery.event_type)
    return redirect("webhook_detail", organisation.pk, subscription.pk)

"""The organisation's channel catalogue: everyone reads it, owners and admins add, rename, switch and delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.editing import apply_errors, flash_errors
from core.forms import ConfirmDeleteForm
from core.versioning import StaleVersion
from planning import selectors, services
from planning.forms_catalogue import ChannelForm
from planning.models import ChannelKind
from tenancy.access import organisation_for


def _channels_page(request, organisation, membership, form=None):
    channels = selectors.channel_list(user=request.user, organisation=organisation).annotate(
        touchpoint_count=Count("touchpoints", distinct=True), persona_count=Count("personas", distinct=True))
    groups = {ChannelKind.ONLINE: [], ChannelKind.OFFLINE: []}
    for channel in channels:
        groups[channel.kind].append(channel)
    if membership.is_manager and form is None:
        form = ChannelForm(organisation=organisation)
    return render(request, "planning/catalogue/channels.html", {
        "organisation": organisation, "membership": membership, "form": form,
        "groups": [(ChannelKind.ONLINE.label, groups[ChannelKind.ONLINE]),
                   (ChannelKind.OFFLINE.label, groups[ChannelKind.OFFLINE])],
    })


@login_required
def channels(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    request.session["current_organisation_id"] = organisation.pk
    return _channels_page(request, organisation, membership)


@login_required
def channel_create(request, pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    if request.method != "POST":
        return redirect("channels", organisation.pk)
    form = ChannelForm(request.POST, organisation=organisation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            channel = services.channel_create(organisation=organisation, actor=request.user, name=data["name"],
                                              kind=data["kind"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Channel “%s” added.") % channel.name)
            return redirect("channels", organisation.pk)
    return _channels_page(request, organisation, membership, form)


def _channel(request, pk, channel_pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    channel = get_object_or_404(selectors.channel_list(user=request.user, organisation=organisation), pk=channel_pk)
    return organisation, membership, channel


@login_required
def channel_edit(request, pk, channel_pk):
    organisation, membership, channel = _channel(request, pk, channel_pk)
    form = ChannelForm(request.POST or None, organisation=organisation, channel=channel,
                       initial=ChannelForm.initial_for(channel))
    conflict = theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(channel=channel, actor=request.user, version=form.cleaned_data.get("version"),
                                    **form.changes())
        except StaleVersion as stale:
            conflict = stale.current
            theirs = form.stale(conflict, _("Someone else saved this channel while you were editing. Their values "
                                            "are shown beside yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Channel “%s” saved.") % channel.name)
            return redirect("channels", organisation.pk)
    return render(request, "planning/catalogue/channel_form.html", {
        "organisation": organisation, "membership": membership, "form": form, "channel": channel,
        "conflict": conflict, "theirs": theirs,
    })


@login_required
def channel_delete(request, pk, channel_pk):
    organisation, membership, channel = _channel(request, pk, channel_pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None,
                             initial={"version": channel.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_delete(channel=channel, actor=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            channel = stale.current
            form = ConfirmDeleteForm(initial={"version": channel.version})
            messages.warning(request, _("Someone changed this channel meanwhile. Check it is still the one to "
                                        "delete, then confirm again."))
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("channels", organisation.pk)
        else:
            messages.success(request, _("Channel “%s” deleted.") % channel.name)
            return redirect("channels", organisation.pk)
    return render(request, "planning/catalogue/confirm_delete.html", {
        "organisation": organisation, "membership": membership, "object": channel, "kind": _("channel"),
        "form": form, "section": _("Channels"), "cancel_url": reverse("channels", args=[organisation.pk]),
        "touchpoint_count": channel.touchpoints.count(),
        "consequence": _("Personas who prefer it lose it from their list. This cannot be undone."),
    })


urlpatterns = [
    path("organisations/<int:pk>/channels/", channels, name="channels"),
    path("organisations/<int:pk>/channels/new/", channel_create, name="channel_create"),
    path("organisations/<int:pk>/channels/<int:channel_pk>/", channel_edit, name="channel_edit"),
    path("organisations/<int:pk>/channels/<int:channel_pk>/delete/", channel_delete, name="channel_delete"),
]

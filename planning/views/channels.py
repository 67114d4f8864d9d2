"""The organisation's channel catalogue: everyone reads it, owners and admins add, rename, switch and delete."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.editing import EditPages
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


class ChannelPages(EditPages):
    """The organisation's managers add (from the list page), rename, switch and delete channels."""

    name, form_class, template_name = "channel", ChannelForm, "planning/catalogue/channel_form.html"
    delete_template_name = "planning/catalogue/confirm_delete.html"
    writes = services.channel_create, services.channel_update, services.channel_delete
    texts = {
        "created": _("Channel “%s” added."), "saved": _("Channel “%s” saved."), "deleted": _("Channel “%s” deleted."),
        "conflict": _("Someone else saved this channel while you were editing. Their values are shown beside yours; "
                      "keep what you want and save again."),
        "changed": _("Someone changed this channel meanwhile. Check it is still the one to delete, then confirm "
                     "again."),
    }
    confirm = {"kind": _("channel"), "section": _("Channels"),
               "consequence": _("Personas who prefer it lose it from their list. This cannot be undone.")}

    def load(self, pk, channel_pk=None):
        self.organisation, self.membership = organisation_for(self.request.user, pk, manage=True)
        if channel_pk is None:
            return None
        channels = selectors.channel_list(user=self.request.user, organisation=self.organisation)
        return get_object_or_404(channels, pk=channel_pk)

    def get(self, request, **kwargs):
        if self.action == "create":  # the add form is on the list page
            self.load(**kwargs)
            return redirect("channels", self.organisation.pk)
        return super().get(request, **kwargs)

    def form_kwargs(self) -> dict:
        return {"organisation": self.organisation, "channel": self.object}

    def create_kwargs(self) -> dict:
        return {"organisation": self.organisation}

    def success_url(self, channel) -> str:
        return reverse("channels", args=[self.organisation.pk])

    def context(self, **extra) -> dict:
        return {"organisation": self.organisation, "membership": self.membership, **extra}

    def form_page(self, form, **extra):
        if self.action == "create":
            return _channels_page(self.request, self.organisation, self.membership, form)
        return super().form_page(form, **extra)

    def delete_context(self, channel) -> dict:
        return {**super().delete_context(channel), "touchpoint_count": channel.touchpoints.count()}


channel_create, channel_edit, channel_delete = ChannelPages.views()


urlpatterns = [
    path("organisations/<int:pk>/channels/", channels, name="channels"),
    path("organisations/<int:pk>/channels/new/", channel_create, name="channel_create"),
    path("organisations/<int:pk>/channels/<int:channel_pk>/", channel_edit, name="channel_edit"),
    path("organisations/<int:pk>/channels/<int:channel_pk>/delete/", channel_delete, name="channel_delete"),
]

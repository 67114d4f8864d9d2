"""The plan's share links page (/plans/<pk>/share-links/): its managers create, list and revoke links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.editing import apply_errors
from planning.models import Journey
from sharing import services
from sharing.forms import ShareLinkForm
from tenancy.access import Access, plan_for


@never_cache
@login_required
def share_links(request, pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    form = ShareLinkForm(request.POST or None, journeys=Journey.objects.filter(plan=plan).order_by("name", "id"))
    new_url = None
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.share_link_create(plan=plan, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # Shown on this answer only: the token is not stored, so the page cannot show it again.
            new_url = request.build_absolute_uri(reverse("share_open", args=[token]))
            form = ShareLinkForm(journeys=form.fields["journey"].queryset)
            messages.success(request, _("Share link created. Copy it now: it is shown only once."))
    return render(request, "sharing/manage.html", {
        "plan": plan, "organisation": plan.organisation, "form": form, "new_url": new_url,
        "links": services.share_link_list(user=request.user, plan=plan), "plan_section": "overview",
    })


@login_required
@require_POST
def share_link_revoke(request, pk, link_pk):
    plan = plan_for(request.user, pk, Access.MANAGE)
    link = get_object_or_404(services.share_link_list(user=request.user, plan=plan), pk=link_pk)
    services.share_link_revoke(link=link, actor=request.user)
    messages.success(request, _("Share link revoked: it no longer opens anything."))
    return redirect("share_links", plan.pk)


urlpatterns = [
    path("plans/<int:pk>/share-links/", share_links, name="share_links"),
    path("plans/<int:pk>/share-links/<int:link_pk>/revoke/", share_link_revoke, name="share_link_revoke"),
]
